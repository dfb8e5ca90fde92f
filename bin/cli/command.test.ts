/** Every command in bin/ documents itself and refuses a mistyped option in one line, never with a stack trace. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const run = (file: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin', file), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: join(root, '.no-such-data-dir') },
  });

const files = [
  'start-local.ts',
  'import.ts',
  'export.ts',
  'recount.ts',
  'verify-restore.ts',
  'failover.ts',
  'restore-table.ts',
  'reindex.ts',
  'report.ts',
  'token.ts',
  'listener.ts',
  'ctk.ts',
  'ctk-fetch.ts',
  'postman.ts',
  'check-description.ts',
];

describe('the commands', () => {
  it.each(files)('%s: --help shows its usage and exits 0; a mistyped option is one line and exit 2', (file) => {
    const help = run(file, ['--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: /);
    const wrong = run(file, ['--no-such-option']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/unknown option '--no-such-option'/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('lists every command behind one entry, each with its own help', () => {
    const listed = run('tmf629.ts', ['--help']);
    expect(listed.status).toBe(0);
    for (const name of ['start', 'import', 'export', 'recount', 'reindex', 'report', 'token', 'listener', 'ctk'])
      expect(listed.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const one = run('tmf629.ts', ['import', '--help']);
    expect(one.stdout).toMatch(/^Usage: import \[options\] <file>/);
  });

  it('mints no token for a scope named --help', () => {
    const asked = run('token.ts', ['--help']);
    expect(asked.stdout).not.toMatch(/^ey/); // a JWT starts with eyJ
    expect(asked.stdout).toMatch(/^Usage: token/);
  });
});
