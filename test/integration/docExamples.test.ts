/**
 * The bulk commands the README and docs/data.md show, run as written and in order (README first)
 * against a fresh local server, from another folder holding a copy of docs/examples, as a user
 * would type them. Commands against a deployed table (`--table`) need AWS and are left out.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'tmf629-docs-'));
let api: RunningLocalApi;

/** The `npm run import|export|recount|reindex|report` lines of a Markdown file's sh blocks, comments dropped. */
function bulkCommands(file: string): string[] {
  const blocks = [...readFileSync(join(root, file), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^npm run (import|export|recount|reindex|report)\b/.test(line) && !line.includes('--table'));
}

beforeAll(async () => {
  api = await startLocalApi({ dataDir: join(work, 'data') });
  cpSync(join(root, 'docs/examples'), join(work, 'docs/examples'), { recursive: true });
});

afterAll(async () => {
  await api?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function get(path: string) {
  const response = await fetch(new URL(path, api.baseUrl));
  return { status: response.status, headers: response.headers, body: await response.json() };
}

it('runs every bulk example of the README and docs/data.md, in order, as written', { timeout: 240_000 }, async () => {
  const commands = [...bulkCommands('README.md'), ...bulkCommands('docs/data.md')];
  expect(commands.length).toBeGreaterThanOrEqual(10);
  const outputs: string[] = [];
  for (const command of commands) {
    // npm runs the script in the project; INIT_CWD tells it where the user typed the command.
    const output = execFileSync('sh', ['-c', command.replace(/^npm run/, `npm --prefix '${root}' run --silent`)], {
      cwd: work,
      env: { ...process.env, DATA_DIR: api.dataDir, CI: 'true' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    outputs.push(output);
  }
  // What the README's comments say each import does.
  expect(outputs[0]).toMatch(/read 5, imported 4, replaced 0, unchanged 0, rejected 1/);
  expect(outputs[1]).toMatch(/read 2, imported 2, replaced 0, unchanged 0, rejected 0/);
  // The README's reindex, with no configured attribute, examined every customer and changed none.
  expect(outputs.find((output) => output.startsWith('reindex of'))).toMatch(/6 customers, 0 updated/);
  const rejects = readFileSync(join(work, 'docs/examples/customers.ndjson.rejects.ndjson'), 'utf8');
  expect(JSON.parse(rejects)).toMatchObject({
    line: 5,
    code: 'INVALID_BODY',
    message: expect.stringMatching(/engagedParty/),
  });

  // The imported ids are served, and counted.
  expect((await get('customer/CUST-000101')).body).toMatchObject({ id: 'CUST-000101', name: 'Jane Doe' });
  expect((await get('customer/7b1e6c4a-2f0d-4e55-9a3c-0d8f2b6e4a11')).status).toBe(200);
  expect((await get('customer?limit=0')).headers.get('x-total-count')).toBe('6');
  expect((await get('customer?status=Approved&limit=0')).headers.get('x-total-count')).toBe('3');

  // Exports and the report landed where the user ran the commands.
  // The last export to approved.ndjson selected fields=name,contactMedium (id always comes back).
  const approved = readFileSync(join(work, 'approved.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(approved.map((c) => c.id).sort()).toEqual(['CUST-000101', 'CUST-000102', 'CUST-000201']);
  expect(approved.every((c) => typeof c.name === 'string' && !('status' in c) && !('href' in c))).toBe(true);
  expect(readFileSync(join(work, 'all.ndjson'), 'utf8').trim().split('\n')).toHaveLength(6);
  const byStatus = JSON.parse(readFileSync(join(work, 'report/customers_by_status.json'), 'utf8'));
  expect(byStatus).toEqual([
    { status: 'Approved', customers: 3 },
    { status: 'Pending', customers: 2 },
    { status: '(none)', customers: 1 },
  ]);
  expect(existsSync(join(work, 'report/new_customers_per_month.png'))).toBe(true);
  // Nothing was written into the project folder.
  expect(existsSync(join(root, 'approved.ndjson'))).toBe(false);
});
