/**
 * What a developer meets when starting the local server: one line per step while it starts, one
 * clear line (in seconds, not a minute and a stack trace) when the folder or the port is taken,
 * and a Ctrl-C that drains requests in flight before the engine stops.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { validCustomer } from './http.js';

const work = mkdtempSync(join(tmpdir(), 'tmf629-startup-'));
const started: RunningLocalApi[] = [];
afterAll(async () => {
  await Promise.all(started.map((api) => api.stop()));
  rmSync(work, { recursive: true, force: true });
});

const startLocal = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bin/start-local.ts'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('starting the local server', () => {
  it('says what it is doing, step by step, before it is ready', async () => {
    const logFile = join(work, 'steps.log');
    const api = await startLocalApi({ dataDir: join(work, 'steps'), logFile });
    started.push(api);
    const { readFileSync } = await import('node:fs');
    const log = readFileSync(logFile, 'utf8');
    const steps = [
      /starting DynamoDB Local \(Java\)/,
      /DynamoDB Local is up \([\d.]+ s\)/,
      /table \S+ ready/,
      /ready at http/,
    ];
    const at = steps.map((step) => log.search(step));
    expect(
      at.every((index) => index >= 0),
      log,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('refuses a second server on the same DATA_DIR at once, naming the running one', async () => {
    const dataDir = join(work, 'shared');
    const first = await startLocalApi({ dataDir });
    started.push(first);
    const began = Date.now();
    const second = startLocal({ PORT: '0', DATA_DIR: dataDir });
    expect(second.status).toBe(1);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(second.stderr).toMatch(
      new RegExp(`A server already serves ${dataDir} \\(pid ${first.process.pid}, http://`),
    );
    expect(second.stderr).not.toMatch(/Exception|\n\s+at /);
  });

  it('says the port is in use and how to choose another, without starting the engine or a stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ready) => blocker.listen(0, '127.0.0.1', ready));
    const port = (blocker.address() as { port: number }).port;
    try {
      const began = Date.now();
      const result = startLocal({ PORT: String(port), DATA_DIR: join(work, 'busy-port') });
      expect(result.status).toBe(1);
      expect(Date.now() - began).toBeLessThan(15_000);
      expect(result.stderr.trim()).toBe(
        `port ${port} on 127.0.0.1 is in use; set PORT (e.g. PORT=${port + 1} npm start), or stop what listens there`,
      );
      expect(result.stdout).not.toMatch(/starting DynamoDB Local/);
    } finally {
      blocker.close();
    }
  });

  it('on Ctrl-C (SIGINT to the whole process group) answers the requests in flight, then stops, claiming no restart', async () => {
    const dataDir = join(work, 'sigint');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/start-local.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a terminal's foreground job is
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const baseUrl = await new Promise<string>((ready, fail) => {
      const timer = setInterval(() => {
        const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
        if (url) {
          clearInterval(timer);
          ready(url);
        }
      }, 100);
      void exited.then(() => fail(new Error(output)));
    });
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      fetch(new URL('customer', baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validCustomer(`In flight ${i}`)),
      }).then((response) => response.status),
    );
    // Once the first is answered the others have arrived and are being written: Ctrl-C now.
    await Promise.race(inFlight);
    process.kill(-(child.pid as number), 'SIGINT');
    const statuses = await Promise.all(inFlight);
    expect(await exited).toBe(0);
    expect(
      statuses.every((status) => status === 201),
      `${statuses.join(' ')}\n${output}`,
    ).toBe(true);
    expect(output).toMatch(/SIGINT: finishing requests in flight, then stopping/);
    expect(output).not.toMatch(/restarting/);
    // The folder is free again: a new server starts on it and finds every acknowledged customer.
    const again = await startLocalApi({ dataDir });
    started.push(again);
    const listed = await (await fetch(new URL('customer?name*=^In flight&fields=id', again.baseUrl))).json();
    expect(listed).toHaveLength(20);
  });

  it('warns when started without the INDEXED_ATTRIBUTES its table was indexed for, and notes an index not built yet', async () => {
    const { readFileSync } = await import('node:fs');
    const dataDir = join(work, 'indexed');
    const city = 'contactMedium.characteristic.city';
    const firstLog = join(work, 'indexed-first.log');
    const first = await startLocalApi({ dataDir, env: { INDEXED_ATTRIBUTES: city }, logFile: firstLog });
    expect(readFileSync(firstLog, 'utf8')).toMatch(`note: ${city} is not indexed yet on this table`);
    const reindex = spawnSync(process.execPath, ['--import', 'tsx', 'bin/reindex.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, INDEXED_ATTRIBUTES: city, CI: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(reindex.status, reindex.stderr).toBe(0);
    await first.stop();
    const secondLog = join(work, 'indexed-second.log');
    started.push(await startLocalApi({ dataDir, logFile: secondLog }));
    const log = readFileSync(secondLog, 'utf8');
    expect(log).toMatch(`warning: this table was indexed for ${city}, which INDEXED_ATTRIBUTES does not name`);
    expect(log).toMatch(`INDEXED_ATTRIBUTES=${city}`);
  }, 180_000);
});
