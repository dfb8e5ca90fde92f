/** Runs one of the repository's commands (bin/<script>.ts) on a data folder, as a user would; fails with its output. */
import { spawnSync } from 'node:child_process';

export function runCli(script: string, args: string[], dataDir: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bin/${script}.ts`, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, CI: 'true' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}
