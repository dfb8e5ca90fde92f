/**
 * Certifying a live stage: `npm run ctk -- <base URL>` leaves nothing behind (a stage can be
 * certified again and again), and on a stage holding more than a page of customers it says, before
 * running anything, why the kits' unpaged list checks would fail and what to do instead.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { validCustomer } from './http.js';

const root = join(import.meta.dirname, '..', '..');
const reports = mkdtempSync(join(tmpdir(), 'tmf629-ctk-stage-'));
let api: RunningLocalApi;

beforeAll(async () => {
  api = await startLocalApi();
});
afterAll(async () => {
  await api?.stop();
  rmSync(reports, { recursive: true, force: true });
});

const total = async () => Number((await fetch(new URL('customer?limit=0', api.baseUrl))).headers.get('x-total-count'));

async function ctk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'bin/ctk.ts'), api.baseUrl, ...args],
      { cwd: root, env: { ...process.env, CTK_REPORTS_DIR: reports }, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('certifying a live stage', () => {
  it('passes, and passes again, leaving the stage as it found it', { timeout: 240_000 }, async () => {
    const before = await total();
    for (const round of [1, 2]) {
      const run = await ctk();
      expect(run.code, `round ${round}:\n${run.stdout.slice(-2000)}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/removed the \d+ customer\(s\) the collection created/);
      expect(await total(), `round ${round}`).toBe(before);
    }
  });

  it(
    'on a stage holding more than a page, says why the kits would fail and runs nothing',
    { timeout: 240_000 },
    async () => {
      for (let i = 0; i < 105; i += 15) {
        await Promise.all(
          Array.from({ length: 15 }, (_, j) =>
            fetch(new URL('customer', api.baseUrl), {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(validCustomer(`Populated ${i + j}`)),
            }),
          ),
        );
      }
      const held = await total();
      expect(held).toBeGreaterThan(100);
      const run = await ctk();
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`This stage holds ${held} customers`));
      expect(run.stderr).toMatch(/206 page/);
      expect(run.stderr).toMatch(/Certify a stage of its own/);
      expect(await total()).toBe(held); // nothing ran, nothing was created
    },
  );
});
