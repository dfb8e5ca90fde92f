/**
 * Where a bulk command (import, export, recount) reads and writes:
 *   --table NAME --region R   a deployed table, with the caller's AWS credentials (default chain)
 *   otherwise                 the local table in DATA_DIR (default ./.data): the engine of the
 *                             `npm start` serving that folder when one runs, else an engine this
 *                             command starts on the folder and stops when done
 * It composes the command's runtime (configuration, client, store) from the environment and the
 * target, and hands it to the bulk core: nothing is read from process.env below it. Against the
 * running server, the indexed attributes are the server's; against a deployed table,
 * INDEXED_ATTRIBUTES must repeat the stack's `indexedAttributes` context.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ENV, type Environment } from '../../functions/config.js';
import { composeRuntime, type Runtime } from '../../functions/handlers/runtime.js';
import { dynamoMaintenanceStore, type DynamoMaintenanceStore } from '../../functions/repository/maintenanceStore.js';
import { LOCAL_CLIENT, ensureTable, localEngineClient, startEngine } from '../../local/engine.js';

export const DEFAULT_LOCAL_TABLE = 'tmf629-customer';

export interface TargetOptions {
  readonly table?: string;
  readonly region?: string;
}

export interface Target {
  readonly tableName: string;
  /** What the command works with: the configuration, the client and the stores of the target. */
  readonly runtime: Runtime;
  /** The customer store with the maintenance operations bulk commands need (scans, counts, reindex writes). */
  readonly customers: DynamoMaintenanceStore;
  /** What the summary says the target was. */
  readonly description: string;
  release(): Promise<void>;
}

/** What `npm start` leaves in its DATA_DIR while it serves, so bulk commands find its engine. */
export interface RunningServerRecord {
  readonly pid: number;
  readonly endpoint: string;
  readonly tableName: string;
  /** The server's INDEXED_ATTRIBUTES: bulk commands must write the lookups the server reads. */
  readonly indexedAttributes?: string;
  /** The engine process (fault-injection tests kill it). */
  readonly enginePid?: number;
  /** Where the server answers, for a second `npm start` on the same folder to point at. */
  readonly baseUrl?: string;
}

const serverFile = (dataDir: string) => join(dataDir, 'server.json');

export function recordRunningServer(dataDir: string, record: RunningServerRecord): void {
  writeFileSync(serverFile(dataDir), JSON.stringify(record));
}

export function forgetRunningServer(dataDir: string): void {
  rmSync(serverFile(dataDir), { force: true });
}

/** What `npm start` recorded in DATA_DIR, alive or not; undefined when it left nothing. */
export function readServerRecord(dataDir: string): RunningServerRecord | undefined {
  const path = serverFile(dataDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RunningServerRecord) : undefined;
}

/** The recorded server when its process still runs (the server is gone when killed without cleaning up). */
function alive(record: RunningServerRecord | undefined): RunningServerRecord | undefined {
  if (!record) return undefined;
  try {
    process.kill(record.pid, 0);
    return record;
  } catch {
    return undefined;
  }
}

/** The record a live `npm start` left in DATA_DIR, whether or not its engine answers. */
export function liveServerRecord(dataDir: string): RunningServerRecord | undefined {
  try {
    return alive(readServerRecord(dataDir));
  } catch {
    return undefined; // unreadable
  }
}

async function runningServer(dataDir: string): Promise<RunningServerRecord | undefined> {
  const record = alive(readServerRecord(dataDir));
  if (!record) return undefined;
  const client = localEngineClient(record.endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return record;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

export async function resolveTarget(options: TargetOptions, env: Environment = process.env): Promise<Target> {
  const target = await locateTarget(options, env);
  const { documentClient, settings } = target.runtime;
  return { ...target, customers: dynamoMaintenanceStore(documentClient, settings) };
}

async function locateTarget(options: TargetOptions, env: Environment): Promise<Omit<Target, 'customers'>> {
  // A bulk command waits for slow pages (a large scan on a busy engine) instead of giving up on them.
  const base: Environment = { [ENV.dynamodbRequestTimeoutMs]: '60000', ...env };
  if (options.table !== undefined || options.region !== undefined) {
    if (!options.table || !options.region) throw new Error('--table and --region go together (a deployed table)');
    return {
      tableName: options.table,
      runtime: composeRuntime(
        { ...base, [ENV.tableName]: options.table, [ENV.dynamodbEndpoint]: undefined },
        { region: options.region },
      ),
      description: `table ${options.table} in ${options.region}`,
      release: async () => undefined,
    };
  }
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  const server = await runningServer(dataDir);
  if (server) {
    const served = server.indexedAttributes ?? '';
    const given = env[ENV.indexedAttributes];
    if (given !== undefined && given !== served) {
      throw new Error(
        `${ENV.indexedAttributes} is "${given}" here but the running server indexes "${served}"; run with the server's setting (or none)`,
      );
    }
    return {
      tableName: server.tableName,
      runtime: composeRuntime(
        {
          ...base,
          [ENV.tableName]: server.tableName,
          [ENV.dynamodbEndpoint]: server.endpoint,
          [ENV.indexedAttributes]: served,
        },
        LOCAL_CLIENT,
      ),
      description: `the running local server's table ${server.tableName} (${dataDir})`,
      release: async () => undefined,
    };
  }
  const tableName = env[ENV.tableName] ?? DEFAULT_LOCAL_TABLE;
  const engine = await startEngine({ dataDir });
  await ensureTable(engine.client, tableName);
  return {
    tableName,
    runtime: composeRuntime(
      { ...base, [ENV.tableName]: tableName, [ENV.dynamodbEndpoint]: engine.endpoint },
      LOCAL_CLIENT,
    ),
    description: `local table ${tableName} in ${dataDir} (no server running: engine started for this command)`,
    release: () => engine.stop(),
  };
}
