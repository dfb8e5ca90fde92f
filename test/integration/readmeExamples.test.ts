/**
 * The README's walk-through, run as written and in order against a fresh local server, then its
 * token examples and docs/integrators.md's against the same data folder served with LOCAL_AUTH. Each request's comment
 * (`# → 201 with `...``) states its status and what the answer shows; this checks both. Only the
 * server's and the listener's ports are changed (the README says 3000 and 4000).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TMF_ERROR_CODES } from '../../functions/errorCatalogue.js';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const integrators = readFileSync(join(root, 'docs/integrators.md'), 'utf8');
const v5Guide = readFileSync(join(root, 'docs/v5.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'tmf629-readme-'));
const servers: RunningLocalApi[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The sh blocks marked `<!-- example: name -->`, in order: the README's, then docs/integrators.md's and docs/v5.md's. */
function examples(name: string): string[] {
  const marked = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'g');
  return [readme, integrators, v5Guide].flatMap((text) => [...text.matchAll(marked)].map((match) => match[1] ?? ''));
}

/** What the comments promise: the statuses of the requests, in order, and the snippets the answers show. */
function promises(script: string): { statuses: number[]; snippets: string[] } {
  const statuses: number[] = [];
  const snippets: string[] = [];
  for (const line of script.split('\n')) {
    const comment = /\s#\s(.*)$/.exec(line)?.[1];
    if (!comment) continue;
    const status = /→ (\d{3})/.exec(comment)?.[1];
    if (status) statuses.push(Number(status));
    for (const snippet of comment.matchAll(/`([^`]+)`/g)) snippets.push(snippet[1] ?? '');
  }
  return { statuses, snippets };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Runs the blocks as one bash script, recording each curl's status (the README's curl, plus -w). */
async function run(script: string, api: RunningLocalApi, listenerPort: number) {
  const statusLog = join(work, `statuses-${Date.now()}`);
  writeFileSync(statusLog, '');
  const origin = new URL(api.baseUrl).origin;
  const recorder = `curl() {
  local out
  out=$(command curl -w '\\n@@status %{http_code}' "$@")
  echo "\${out##*@@status }" >> "${statusLog}"
  printf '%s\\n' "\${out%@@status *}"
}
`;
  const body = script
    .replaceAll('http://127.0.0.1:3000', origin)
    .replaceAll('127.0.0.1:4000', `127.0.0.1:${listenerPort}`)
    .replaceAll('LISTENER_PORT=4000', `LISTENER_PORT=${listenerPort}`);
  const { stdout } = await promisify(execFile)('bash', ['-c', `set -u\n${recorder}${body}`], {
    cwd: root,
    env: { ...process.env, DATA_DIR: api.dataDir, LISTENER_PORT: String(listenerPort) },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const statuses = readFileSync(statusLog, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  return { stdout, statuses };
}

describe('the README', () => {
  it('walk-through works in order on a fresh server and answers what it says', async () => {
    const api = await startLocalApi({ dataDir: join(work, 'data') });
    servers.push(api);
    const script = examples('walkthrough').join('\n');
    expect(script).toContain('docs/examples/customer.json');
    const expected = promises(script);
    expect(expected.statuses.length).toBeGreaterThanOrEqual(20);
    const { stdout, statuses } = await run(script, api, await freePort());
    expect(statuses).toEqual(expected.statuses);
    for (const snippet of expected.snippets) expect(stdout, snippet).toContain(snippet);
    await api.stop();

    // The token examples, with the same data folder served with LOCAL_AUTH.
    const guarded = await startLocalApi({ dataDir: join(work, 'data'), env: { LOCAL_AUTH: 'true' } });
    servers.push(guarded);
    const tokens = examples('local-auth').join('\n');
    const promised = promises(tokens);
    const answered = await run(tokens, guarded, await freePort());
    expect(answered.statuses).toEqual(promised.statuses);
    for (const snippet of promised.snippets) expect(answered.stdout, snippet).toContain(snippet);
  }, 240_000);

  it("docs/v5.md's walk-through works on a fresh server and answers what it says", async () => {
    const api = await startLocalApi({ dataDir: join(work, 'data-v5') });
    servers.push(api);
    const script = examples('v5').join('\n');
    expect(script).toContain('docs/examples/customer-v5.json');
    const expected = promises(script);
    expect(expected.statuses.length).toBeGreaterThanOrEqual(8);
    const { stdout, statuses } = await run(script, api, await freePort());
    expect(statuses).toEqual(expected.statuses);
    for (const snippet of expected.snippets) expect(stdout, snippet).toContain(snippet);
  }, 120_000);

  it('lists every error code the API answers, with its statuses (docs/api.md)', () => {
    const api = readFileSync(join(root, 'docs/api.md'), 'utf8');
    for (const { code, status, when } of TMF_ERROR_CODES) {
      expect(api).toMatch(
        new RegExp(
          `\\| \`${code}\`\\s*\\| ${status.join(', ')}\\s*\\| ${when.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\|`,
        ),
      );
    }
    const listed = [...api.matchAll(/^\| `([A-Z_]+)`\s*\| \d{3}/gm)].map((match) => match[1]);
    expect(listed).toEqual(TMF_ERROR_CODES.map((entry) => entry.code));
  });
});
