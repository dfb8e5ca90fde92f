/**
 * Bulk import and export through the real commands (bin/import.ts, bin/export.ts) against the
 * real local engine, checked through the API over HTTP: what is listed, counted, filtered and
 * retrieved; rejects; re-runs; a run killed half way; export then re-import; hub notifications.
 * Over 300 lines because its cases build on one seeded table: split, each file would seed again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { runCli } from './cli.js';

const work = mkdtempSync(join(tmpdir(), 'tmf629-bulk-'));
const serverData = join(work, 'server');
let api: RunningLocalApi;

const party = (id: string) => ({ '@referredType': 'Organization', id });

/** N valid customers: odd ones with a legacy id, even ones without (the import gives them one). */
function customers(count: number, prefix: string) {
  return Array.from({ length: count }, (_, i) => ({
    ...(i % 2 === 1 ? { id: `${prefix}-${String(i).padStart(6, '0')}` } : {}),
    name: `${prefix} customer ${i}`,
    status: i % 3 === 0 ? 'Pending' : 'Approved',
    engagedParty: party(`${prefix}-party-${i % 5}`),
    contactMedium: [{ mediumType: 'email', characteristic: { emailAddress: `${prefix}.${i}@example.com` } }],
  }));
}

const ndjson = (records: unknown[]) =>
  records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

function importSummary(stdout: string) {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Record<string, number> & { recount: { corrected: number; folded: number } };
}

/** A GET over HTTP; retried once when the server closed an idle keep-alive connection under it. */
async function get(path: string) {
  const response = await fetch(new URL(path, api.baseUrl)).catch(() => fetch(new URL(path, api.baseUrl)));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const exportLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).sort();

beforeAll(async () => {
  api = await startLocalApi({ dataDir: serverData });
});

afterAll(async () => {
  await api?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run import', () => {
  const valid = customers(300, 'BULK');
  const file = join(work, 'customers.ndjson');
  const rejectsFile = join(work, 'rejects.ndjson');

  it('imports valid records, rejects the others with their line, and the API serves them', async () => {
    const records: unknown[] = [
      ...valid,
      '{"name": "broken json"', // line 301
      { name: 'no engaged party' }, // 302
      { id: 'has space', name: 'bad id', engagedParty: party('x') }, // 303
      { name: 'unknown attribute', engagedParty: party('x'), shoeSize: 42 }, // 304
      { ...(valid[1] as object), status: 'Suspended' }, // 305: same id as line 2, later line wins
    ];
    writeFileSync(file, ndjson(records));
    const { stdout } = runCli('import', [file, '--rejects', rejectsFile, '--json', '--chunk-size', '40'], serverData);
    const summary = importSummary(stdout);
    expect(summary).toMatchObject({ read: 305, imported: 300, replaced: 1, unchanged: 0, rejected: 4 });
    expect(existsSync(`${file}.checkpoint.json`)).toBe(false);

    const rejects = readFileSync(rejectsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line).sort()).toEqual([301, 302, 303, 304]);
    for (const reject of rejects) {
      expect(reject).toMatchObject({ code: 'INVALID_BODY', reason: 'Invalid body', message: expect.any(String) });
    }
    expect(rejects.find((r) => r.line === 302).message).toMatch(/engagedParty: is mandatory/);
    expect(rejects.find((r) => r.line === 304).message).toMatch(/shoeSize/);

    // The import counted as it wrote: the recount that ends it had nothing to correct.
    expect(summary.recount.corrected).toBe(0);
    // Listed and counted exactly, in total and per indexed value.
    const list = await get('customer?limit=1000&fields=name');
    expect(list.headers.get('x-total-count')).toBe('300');
    expect(list.body).toHaveLength(300);
    const pending = await get('customer?status=Pending&limit=5');
    expect(pending.headers.get('x-total-count')).toBe(String(valid.filter((c) => c.status === 'Pending').length));
    const byParty = await get('customer?engagedParty.id=BULK-party-3&limit=1');
    expect(byParty.headers.get('x-total-count')).toBe('60');
    const byEmail = await get('customer?contactMedium.characteristic.emailAddress=BULK.7@example.com');
    expect(byEmail.body.map((c: { id: string }) => c.id)).toEqual(['BULK-000007']);

    // A legacy id is served; the later line for it replaced the earlier one as version 2.
    const legacy = await get('customer/BULK-000001');
    expect(legacy.status).toBe(200);
    expect(legacy.body).toMatchObject({ id: 'BULK-000001', status: 'Suspended', name: 'BULK customer 1' });
    expect(legacy.body.href).toMatch(/\/customer\/BULK-000001$/);
    expect(legacy.headers.get('etag')).toBe('"2"');
    // A record without an id got a ULID-shaped one.
    const named = await get(`customer?name=${encodeURIComponent('BULK customer 0')}`);
    expect(named.body[0].id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await get('customer?limit=1000');
    const { stdout } = runCli('import', [file, '--rejects', rejectsFile, '--json'], serverData);
    const summary = importSummary(stdout);
    // 301 valid lines: line 2 lost to line 305 (same id) and is skipped, the rest equal what is stored.
    expect(summary).toMatchObject({ read: 305, imported: 0, replaced: 0, unchanged: 301, rejected: 4 });
    expect(summary.recount.corrected).toBe(0);
    const after = await get('customer?limit=1000');
    expect(after.body).toEqual(before.body);
    expect((await get('customer/BULK-000001')).headers.get('etag')).toBe('"2"');
  });

  it('replaces an existing customer with a changed record as a new version', async () => {
    const changed = join(work, 'changed.ndjson');
    writeFileSync(changed, ndjson([{ ...(valid[3] as object), status: 'Approved', name: 'BULK renamed 3' }]));
    const summary = importSummary(runCli('import', [changed, '--json'], serverData).stdout);
    expect(summary).toMatchObject({ read: 1, replaced: 1, imported: 0 });
    const replaced = await get('customer/BULK-000003');
    expect(replaced.body.name).toBe('BULK renamed 3');
    expect(replaced.headers.get('etag')).toBe('"2"');
    // The old name's lookup and count are gone, the new one's are there.
    expect((await get(`customer?name=${encodeURIComponent('BULK customer 3')}`)).body).toEqual([]);
    const renamed = await get(`customer?name=${encodeURIComponent('BULK renamed 3')}`);
    expect(renamed.headers.get('x-total-count')).toBe('1');
  });

  it('counts as it imports, and a recount folds the counter items of a count many imports touched', async () => {
    const before = Number((await get('customer?limit=1')).headers.get('x-total-count'));
    // Three imports: each writes one counter item per count it changed, so all, the status and
    // the party gather three items each; each name's count has one.
    for (let run = 0; run < 3; run++) {
      const rounds = join(work, `rounds-${run}.ndjson`);
      const records = Array.from({ length: 3 }, (_, i) => ({
        id: `ROUND-${run}-${i}`,
        name: `Round customer ${run}-${i}`,
        status: 'Validated',
        engagedParty: { id: 'ROUND-party', '@referredType': 'Organization' },
      }));
      writeFileSync(rounds, ndjson(records));
      const summary = importSummary(runCli('import', [rounds, '--json'], serverData).stdout);
      expect(summary.recount.corrected).toBe(0);
      // Counted as imported: the totals follow each import.
      expect((await get('customer?engagedParty.id=ROUND-party&limit=1')).headers.get('x-total-count')).toBe(
        String(3 * (run + 1)),
      );
    }
    // Folding what holds more than one item: the status and the party (and all customers) fold,
    // the names (one item each) stay; the counts do not change.
    const recount = (args: string[]) =>
      JSON.parse(
        runCli('recount', ['--json', ...args], serverData)
          .stdout.trim()
          .split('\n')
          .at(-1) ?? '{}',
      );
    const folding = recount(['--fold-after', '1']);
    expect(folding).toMatchObject({ corrected: 0 });
    expect(folding.folded, JSON.stringify(folding)).toBeGreaterThanOrEqual(6);
    expect((await get('customer?limit=1')).headers.get('x-total-count')).toBe(String(before + 9));
    expect((await get('customer?status=Validated&limit=1')).headers.get('x-total-count')).toBe('9');
    expect((await get('customer?engagedParty.id=ROUND-party&limit=1')).headers.get('x-total-count')).toBe('9');
    // Nothing left to fold, and every count still right.
    expect(recount(['--fold-after', '1'])).toMatchObject({ corrected: 0, folded: 0 });
  });

  it('imports CSV with dotted and indexed headers', async () => {
    const csv = join(work, 'customers.csv');
    writeFileSync(
      csv,
      [
        'id,name,status,engagedParty.id,engagedParty.@referredType,contactMedium[0].mediumType,contactMedium[0].preferred,contactMedium[0].characteristic.emailAddress,characteristic',
        'CSV-1,Csv One,Approved,CSVP,Organization,email,true,csv1@example.com,"[{""name"":""segment"",""value"":""gold""}]"',
        'CSV-2,Csv Two,,CSVP,Individual,,,,',
        'CSV-3,Csv Three,,,,email,maybe,csv3@example.com,',
      ].join('\n'),
    );
    const summary = importSummary(runCli('import', [csv, '--json'], serverData).stdout);
    expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    const one = await get('customer/CSV-1');
    expect(one.body).toMatchObject({
      name: 'Csv One',
      status: 'Approved',
      engagedParty: { id: 'CSVP', '@referredType': 'Organization' },
      contactMedium: [{ mediumType: 'email', preferred: true, characteristic: { emailAddress: 'csv1@example.com' } }],
      characteristic: [{ name: 'segment', value: 'gold' }],
    });
    expect((await get('customer/CSV-2')).body).not.toHaveProperty('status');
    const rejects = readFileSync(`${csv}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/preferred/) })]);
  });

  it(
    'exports what a TMF630 query matches, and a re-import into a fresh table gives identical customers',
    { timeout: 120_000 },
    async () => {
      const approved = join(work, 'approved.ndjson');
      runCli('export', [approved, 'status=Approved&engagedParty.id=BULK-party-1'], serverData);
      const lines = exportLines(approved).map((l) => JSON.parse(l));
      const expected = await get('customer?status=Approved&engagedParty.id=BULK-party-1&limit=1000');
      expect(lines.map((c) => c.id).sort()).toEqual(expected.body.map((c: { id: string }) => c.id).sort());
      expect(lines.every((c) => c.status === 'Approved' && !('href' in c))).toBe(true);

      const all = join(work, 'all.ndjson');
      runCli('export', [all], serverData);
      const fresh = join(work, 'fresh');
      runCli('import', [all, '--json'], fresh); // no server on this folder: the command runs the engine
      const again = join(work, 'again.ndjson');
      runCli('export', [again], fresh);
      expect(exportLines(again)).toEqual(exportLines(all));
      expect(exportLines(all)).toHaveLength(Number((await get('customer?limit=0')).headers.get('x-total-count')));
    },
  );
});

describe('imports and hub listeners', () => {
  let listener: Server;
  const received: { eventType: string; event: { customer: { id: string } } }[] = [];

  beforeAll(async () => {
    listener = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
    const address = listener.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const hub = await fetch(new URL('hub', api.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ callback: `http://127.0.0.1:${port}/listener`, query: 'name*=^HUB' }),
    });
    expect(hub.status).toBe(201);
  });

  afterAll(() => listener?.close());

  it(
    'announces nothing by default, create events with --notify, and later API changes as usual',
    { timeout: 90_000 },
    async () => {
      const quiet = join(work, 'quiet.ndjson');
      writeFileSync(quiet, ndjson(customers(4, 'HUBQ')));
      runCli('import', [quiet], serverData);
      const loud = join(work, 'loud.ndjson');
      writeFileSync(loud, ndjson(customers(4, 'HUBL')));
      runCli('import', [loud, '--notify'], serverData);

      const deadline = Date.now() + 40_000;
      while (received.filter((e) => e.event.customer.id.startsWith('HUBL')).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      // The records with a legacy id (odd lines) are easy to name; the others got derived ids.
      const creates = received.filter((e) => e.eventType === 'CustomerCreateEvent');
      expect(
        creates
          .map((e) => e.event.customer.id)
          .filter((id) => id.startsWith('HUBL'))
          .sort(),
      ).toEqual(['HUBL-000001', 'HUBL-000003']);
      expect(creates).toHaveLength(4);
      expect(received.some((e) => e.event.customer.id.startsWith('HUBQ'))).toBe(false);

      // A PATCH of a quietly imported customer is an ordinary change, and is announced.
      const patched = await fetch(new URL('customer/HUBQ-000001', api.baseUrl), {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ status: 'Suspended' }),
      });
      expect(patched.status).toBe(200);
      // Its two events (attribute change, state change) are two deliveries: wait for both.
      const announced = () => received.filter((e) => e.event.customer.id === 'HUBQ-000001');
      while (announced().length < 2 && Date.now() < deadline + 10_000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(received.filter((e) => e.event.customer.id === 'HUBQ-000001').map((e) => e.eventType)).toContain(
        'CustomerStateChangeEvent',
      );
    },
  );
});

describe('an interrupted import', () => {
  it(
    'resumes from its checkpoint and ends with the same table as an uninterrupted run',
    { timeout: 300_000 },
    async () => {
      const file = join(work, 'large.ndjson');
      writeFileSync(file, ndjson(customers(1500, 'KILL')));
      // Killed (SIGKILL: no chance to clean up) once its checkpoint shows progress.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'bin/import.ts', file, '--chunk-size', '10', '--parallel', '2'],
        { env: { ...process.env, DATA_DIR: serverData, CI: 'true' }, stdio: 'ignore' },
      );
      const checkpointFile = `${file}.checkpoint.json`;
      const exited = new Promise((done) => child.once('exit', done));
      for (let i = 0; i < 1200; i++) {
        if (existsSync(checkpointFile) && JSON.parse(readFileSync(checkpointFile, 'utf8')).nextLine > 100) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      await exited;
      const { nextLine } = JSON.parse(readFileSync(checkpointFile, 'utf8'));
      expect(nextLine).toBeGreaterThan(100);
      expect(nextLine).toBeLessThan(1501);

      const resumed = runCli('import', [file, '--json'], serverData);
      expect(resumed.stderr + resumed.stdout).toMatch(/resumed at line/);
      expect(importSummary(resumed.stdout)).toMatchObject({ read: 1500, rejected: 0 });
      expect(existsSync(checkpointFile)).toBe(false);

      const list = await get('customer?engagedParty.id=KILL-party-2&limit=1000');
      expect(list.headers.get('x-total-count')).toBe('300');
      const fromServer = join(work, 'kill-server.ndjson');
      runCli('export', [fromServer, 'name*=^KILL'], serverData);
      const uninterrupted = join(work, 'uninterrupted');
      runCli('import', [file], uninterrupted);
      const fromFresh = join(work, 'kill-fresh.ndjson');
      runCli('export', [fromFresh], uninterrupted);
      expect(exportLines(fromServer)).toEqual(exportLines(fromFresh));
      // Every customer is at version 1, as after one uninterrupted run.
      const sample = await get('customer/KILL-001499');
      expect(sample.headers.get('etag')).toBe('"1"');
    },
  );
});

describe('progress of a long import says the truth', () => {
  it('counts records written, not bytes read ahead, shows the recount on its own, and ends with the wall clock', () => {
    const file = join(work, 'progress.ndjson');
    writeFileSync(file, ndjson(customers(600, 'PROG')));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bin/import.ts', file, '--chunk-size', '10', '--parallel', '2'],
      {
        env: { ...process.env, DATA_DIR: serverData, CI: 'true', PROGRESS_INTERVAL_MS: '0' },
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const importLines = [...result.stderr.matchAll(/^import: ([\d.]+)% of \d+ bytes written.*\| (\d+) records done/gm)];
    expect(importLines.length).toBeGreaterThan(5);
    for (const [line, percent, done] of importLines) {
      // The lines are of one size: a percentage of the bytes is a percentage of the records, and
      // it may never run ahead of the records actually written.
      expect(Number(percent), line).toBeLessThanOrEqual((Number(done) / 600) * 100 + 1);
    }
    const percents = importLines.map(([, percent]) => Number(percent));
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(result.stderr).toMatch(/recounting: every kept count from the customers themselves \(about \d+ to read\)/);
    expect(result.stderr).toMatch(/^recount: [\d.]+% of \d+ customers counted/m);
    expect(result.stderr.indexOf('recounting')).toBeGreaterThan(result.stderr.lastIndexOf('import: '));
    const written = Number(/written in ([\d.]+) s/.exec(result.stdout)?.[1]);
    const recounted = Number(/folded, in ([\d.]+) s/.exec(result.stdout)?.[1]);
    const total = Number(/done in ([\d.]+) s \(wall clock/.exec(result.stdout)?.[1]);
    expect(total, result.stdout).toBeGreaterThanOrEqual(written + recounted - 0.2);
  }, 240_000);
});

it('leaves no empty rejects file when nothing was refused', () => {
  const file = join(work, 'clean.ndjson');
  writeFileSync(file, ndjson(customers(3, 'CLEAN')));
  runCli('import', [file], serverData);
  expect(existsSync(`${file}.rejects.ndjson`)).toBe(false);
  expect(existsSync(`${file}.checkpoint.json`)).toBe(false);
});
