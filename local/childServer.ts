/** Starts `npm start`'s entry point as a child process on free ports and a fresh data folder: for the CTK runner, the benchmarks and the integration tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningLocalApi {
  /** Base URL ending in `/`, e.g. http://127.0.0.1:PORT/tmf-api/customerManagement/v4/ */
  readonly baseUrl: string;
  /** The embedded DynamoDB Local's endpoint and the table name, for tools that seed data. */
  readonly engineEndpoint: string;
  readonly tableName: string;
  readonly process: ChildProcess;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startLocalApi(
  options: { dataDir?: string; env?: Record<string, string>; logFile?: string } = {},
): Promise<RunningLocalApi> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tmf629-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bin/start-local.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = await new Promise<{ baseUrl: string; engineEndpoint: string; tableName: string }>(
    (resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`local API did not start in 90 s:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
        const engine = /DynamoDB Local at (http:\/\/\S+), table (\S+);/.exec(output);
        if (url && engine?.[1] && engine[2]) {
          clearTimeout(timer);
          resolveUrl({ baseUrl: url, engineEndpoint: engine[1], tableName: engine[2] });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      if (options.logFile) {
        const log = options.logFile;
        const keep = (chunk: Buffer) => appendFileSync(log, chunk);
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
      }
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`local API exited (code ${code}) before it was ready:\n${output}`));
      });
    },
  );
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...ready, process: child, dataDir, stop };
}
