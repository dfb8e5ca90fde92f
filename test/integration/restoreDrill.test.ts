/**
 * The local exact-restore drill: a backup (`export --backup`) of a server's customers, imported
 * with `--restore` into a fresh data folder, serves every customer exactly as before: same id,
 * body, ETag and write time, the same counts, and an If-Match taken before the restore still
 * guards a PATCH after it; and `npm run verify-restore` says so, or names what differs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { runCli } from './cli.js';

const work = mkdtempSync(join(tmpdir(), 'tmf629-restore-'));
const before = join(work, 'before');
const after = join(work, 'after');
let source: RunningLocalApi;
let restored: RunningLocalApi | undefined;

async function send(api: RunningLocalApi, method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(new URL(path, api.baseUrl), {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    total: response.headers.get('x-total-count'),
    body: text ? JSON.parse(text) : undefined,
  };
}

const backupLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).sort();

beforeAll(async () => {
  source = await startLocalApi({ dataDir: before });
});

afterAll(async () => {
  await source?.stop();
  await restored?.stop();
  rmSync(work, { recursive: true, force: true });
});

it('restores every customer exactly: id, body, ETag, write time and counts', { timeout: 240_000 }, async () => {
  const ids: string[] = [];
  for (let n = 0; n < 8; n++) {
    const created = await send(source, 'POST', 'customer', {
      name: `Restore ${n}`,
      status: n % 2 === 0 ? 'Approved' : 'Initialized',
      engagedParty: { '@referredType': 'Organization', id: `R-${n % 3}` },
      contactMedium: [{ mediumType: 'email', characteristic: { emailAddress: `restore.${n}@example.com` } }],
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  // Versions 1, 2 and 3 side by side, and one customer gone.
  for (const id of ids.slice(0, 4))
    expect((await send(source, 'PATCH', `customer/${id}`, { statusReason: 'checked' })).status).toBe(200);
  for (const id of ids.slice(0, 2))
    expect((await send(source, 'PATCH', `customer/${id}`, { status: 'Validated' })).status).toBe(200);
  expect((await send(source, 'DELETE', `customer/${ids[7]}`)).status).toBe(204);
  const kept = ids.slice(0, 7);

  const backup = join(work, 'backup.ndjson');
  runCli('export', [backup, '--backup'], before);
  expect(backupLines(backup)).toHaveLength(7);
  runCli('import', [backup, '--restore', '--json'], after); // no server on this folder: the command runs the engine
  restored = await startLocalApi({ dataDir: after });

  for (const id of kept) {
    const was = await send(source, 'GET', `customer/${id}`);
    const is = await send(restored, 'GET', `customer/${id}`);
    expect(is.status).toBe(200);
    expect(is.etag).toBe(was.etag);
    expect({ ...is.body, href: undefined }).toEqual({ ...was.body, href: undefined });
  }
  expect((await send(restored, 'GET', `customer/${ids[7]}`)).status).toBe(404);
  for (const query of [
    'customer?limit=0',
    'customer?status=Approved&limit=0',
    'customer?engagedParty.id=R-1&limit=0',
  ]) {
    expect((await send(restored, 'GET', query)).total).toBe((await send(source, 'GET', query)).total);
  }
  // The write times too: a backup of the restored table is the backup it was made from.
  const again = join(work, 'again.ndjson');
  runCli('export', [again, '--backup'], after);
  expect(backupLines(again)).toEqual(backupLines(backup));
  // The drill's verification step, as an operator runs it: every customer compared, none differs.
  const verified = runCli('verify-restore', [backup, '--json'], after);
  expect(JSON.parse(verified.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
    backupCustomers: 7,
    tableCustomers: 7,
    compared: 7,
    differences: [],
  });

  // An ETag a client read before the restore still guards its next PATCH.
  const read = await send(source, 'GET', `customer/${kept[0]}`);
  expect(
    (await send(restored, 'PATCH', `customer/${kept[0]}`, { statusReason: 'after restore' }, { 'If-Match': read.etag }))
      .status,
  ).toBe(200);
  expect(
    (await send(restored, 'PATCH', `customer/${kept[0]}`, { statusReason: 'stale' }, { 'If-Match': read.etag })).status,
  ).toBe(412);
  // The table has moved on since the backup: verification names the customer and fails.
  expect(() => runCli('verify-restore', [backup, '--sample', '7'], after)).toThrow(
    new RegExp(`${kept[0]}: version \\d in the backup, \\d in the table`),
  );
});

it('refuses a restore from anything but an NDJSON backup', () => {
  expect(() => runCli('import', [join(work, 'missing.csv'), '--restore'], join(work, 'csv'))).toThrow(
    /--restore reads a backup/,
  );
});
