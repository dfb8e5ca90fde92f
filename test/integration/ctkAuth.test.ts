/**
 * The CTK path a deployed stage takes, exercised locally: `npm run ctk -- --local-auth` starts the
 * local server with LOCAL_AUTH=true, gets an access token from its OAuth2 client-credentials
 * endpoint as it would from Cognito's, and runs our collection and TM Forum's kit with it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const reports = mkdtempSync(join(tmpdir(), 'tmf629-ctk-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

it(
  'passes the CTK against a server that requires tokens, obtained by client credentials',
  { timeout: 240_000 },
  async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'bin/ctk.ts'), '--local-auth'],
      { cwd: root, env: { ...process.env, CTK_REPORTS_DIR: reports }, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(stdout).toContain('(bearer)');
    const summary = JSON.parse(readFileSync(join(reports, 'ctk-summary.json'), 'utf8'));
    expect(summary.ours).toMatchObject({ failed: 0 });
    expect(summary.ours.passed).toBeGreaterThan(50);
    if (summary.official !== 'skipped') expect(summary.official).toMatchObject({ failed: 0 });
    expect(summary.failed).toBe(0);
  },
);
