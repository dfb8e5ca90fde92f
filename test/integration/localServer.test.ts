/**
 * The local server on its own data folder: exact counts, and data that survives a stop
 * (SIGTERM) and a new start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { validCustomer } from './http.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tmf629-restart-'));
let api: RunningLocalApi | undefined;

afterAll(async () => {
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, api?.baseUrl), {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe('local server', () => {
  it('keeps X-Total-Count exact and keeps acknowledged data across a restart', async () => {
    api = await startLocalApi({ dataDir });
    const created = [];
    for (const name of ['One', 'Two', 'Three'])
      created.push((await send('POST', 'customer', validCustomer(name))).body);
    expect((await send('DELETE', `customer/${created[1].id}`)).status).toBe(204);
    const patched = await send('PATCH', `customer/${created[2].id}`, { status: 'Approved' });
    expect(patched.status).toBe(200);

    const before = await send('GET', 'customer');
    expect(before.headers.get('x-total-count')).toBe('2');
    expect(before.body.map((c: { id: string }) => c.id)).toEqual([created[0].id, created[2].id]);

    await api.stop();
    api = await startLocalApi({ dataDir });
    const after = await send('GET', 'customer');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-total-count')).toBe('2');
    // hrefs follow the new port; everything else is as acknowledged before the stop.
    const withoutHref = (list: Record<string, unknown>[]) => list.map(({ href: _href, ...rest }) => rest);
    expect(withoutHref(after.body)).toEqual(withoutHref(before.body));
    expect(after.body[1].status).toBe('Approved');
  });

  it('prints a plain message and exits non-zero when Java is missing', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/start-local.ts'], {
      env: { ...process.env, PATH: '/nonexistent', PORT: '0', DATA_DIR: join(dataDir, 'nojava') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/needs Java 17 or newer/);
    expect(result.stderr).toMatch(/apt-get install -y openjdk-17-jre-headless/);
  });
});
