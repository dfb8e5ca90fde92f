/**
 * `npm start`: starts the embedded DynamoDB engine and serves the TMF629 API on it.
 *   PORT      HTTP port (default 3000; 0 picks a free one)
 *   HOST      interface to listen on (default 127.0.0.1)
 *   DATA_DIR  where the data lives across restarts (default ./.data)
 *   LOCAL_AUTH=true  require Bearer tokens with the deployed stack's scopes (`npm run token`)
 * The engine is supervised: if it exits, requests answer 503 while it is restarted (bounded
 * backoff); if it cannot be restarted, the server says why and exits with status 1.
 */
import { readFileSync } from 'node:fs';
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { issueToken, localAuthorizer, localClient, localSigningKey } from '../local/auth.js';
import type { LocalNotifier } from '../local/notifications.js';
import { JavaMissingError, LOCAL_CLIENT, ensureTable, superviseEngine } from '../local/engine.js';
import { ENV } from '../functions/config.js';
import type { LookupAttribute } from '../functions/domain/lookupAttributes.js';
import { composeRuntime } from '../functions/handlers/runtime.js';
import { INDEX_PARTITION } from '../functions/repository/customerTable.js';
import { forgetRunningServer, liveServerRecord, readServerRecord, recordRunningServer } from './cli/target.js';
import { parseCommand } from './cli/command.js';

parseCommand('start', (command) =>
  command.description(
    'Serve the API locally over an embedded DynamoDB engine. Settings come from the environment: PORT (3000; 0 picks a free one), HOST (127.0.0.1), DATA_DIR (./.data), LOCAL_AUTH, INDEXED_ATTRIBUTES and the rest listed in docs/configuration.md',
  ),
);

// Node 20 is supported by the SDK versions pinned here; its notice about future releases is noise locally.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Powertools reads its own settings from the environment when the server module loads (below, dynamically).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env[ENV.serviceName] ??= 'tmf629-customer';
// EMF metrics are for CloudWatch; locally they would only clutter the console.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const tableName = process.env.TABLE_NAME ?? 'tmf629-customer';

let engine: Awaited<ReturnType<typeof superviseEngine>> | undefined;
/** Set once serving: how the server records itself for bulk commands (the engine's pid changes on restart). */
let record: (() => void) | undefined;

/** Says why the server cannot start, in one line, and exits: nothing was started yet. */
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}

/** What a taken port is told, before the engine starts or at listen, whichever finds it. */
const portInUse = () =>
  `port ${port} on ${host} is in use; set PORT (e.g. PORT=${port + 1} npm start), or stop what listens there`;

/** Whether the port is free, asked before a 10-20 s engine start rather than after it. */
function portFree(): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => answer(false));
    probe.listen(port, host, () => probe.close(() => answer(true)));
  });
}

/** An engine left running by a server that was killed outright still locks the folder: stop it. */
function stopOrphanedEngine(): void {
  let enginePid: number | undefined;
  try {
    enginePid = readServerRecord(dataDir)?.enginePid;
  } catch {
    return; // unreadable: nothing to go by
  }
  if (!enginePid) return;
  try {
    // Only a DynamoDB Local on this folder: a recycled pid may be anything else.
    const command = readFileSync(`/proc/${enginePid}/cmdline`, 'utf8');
    if (!command.includes('DynamoDBLocal') || !command.includes(dataDir)) return;
    process.kill(enginePid, 'SIGKILL');
    console.log(`stopped DynamoDB Local (pid ${enginePid}) left running on ${dataDir} by a server that was killed`);
  } catch {
    // gone already, or not Linux's /proc: nothing to stop
  }
}

async function main(): Promise<void> {
  const running = liveServerRecord(dataDir);
  if (running) {
    refuse(
      `A server already serves ${dataDir} (pid ${running.pid}${running.baseUrl ? `, ${running.baseUrl}` : ''}): use it, stop it, or start this one with another DATA_DIR`,
    );
  }
  if (!(await portFree())) {
    refuse(portInUse());
  }
  stopOrphanedEngine();
  console.log(`starting DynamoDB Local (Java) on ${dataDir}…`);
  const engineStarted = Date.now();
  engine = await superviseEngine(
    { dataDir },
    {
      onChange: (message, available) => {
        (available ? console.log : console.error)(message);
        if (available) record?.();
      },
      onGiveUp: (reason) => {
        // A process supervisor (systemd, Docker, a CI job) can act on the exit status.
        console.error(`${reason}; stopping`);
        forgetRunningServer(dataDir);
        process.exit(1);
      },
    },
  );
  console.log(
    `DynamoDB Local is up (${((Date.now() - engineStarted) / 1000).toFixed(1)} s); preparing table ${tableName}…`,
  );
  await ensureTable(engine.client, tableName);
  console.log(`table ${tableName} ready; loading the API…`);

  const localAuth = process.env.LOCAL_AUTH === 'true';
  // The handlers' configuration, as the stack gives it to each Lambda, composed once and passed
  // to the same handler modules. Nothing is written to process.env for them.
  const runtime = composeRuntime(
    {
      ...process.env,
      [ENV.tableName]: tableName,
      // LOCAL_STORE_ENDPOINT: where the handlers reach the engine instead (fault-injection tests put a proxy there).
      [ENV.dynamodbEndpoint]: process.env.LOCAL_STORE_ENDPOINT ?? engine.endpoint,
      // Developers listen for notifications on their own machine.
      [ENV.allowPrivateCallbacks]: process.env[ENV.allowPrivateCallbacks] ?? 'true',
      [ENV.exposeReadStats]: process.env[ENV.exposeReadStats] ?? 'true',
      // What openapi.json and swagger.json tell tools about signing in: the local token endpoint.
      ...(localAuth ? { [ENV.apiSecurity]: 'oauth2', [ENV.oauth2TokenUrl]: '/oauth2/token' } : {}),
    },
    LOCAL_CLIENT,
  );
  const { createLocalApi } = await import('../local/server.js');
  await warnAboutIndexes(engine.client, runtime.settings.lookupAttributes);
  // Created once the server listens (events carry its URL); the dead-letter route may ask before.
  const notifications: { notifier?: LocalNotifier } = {};
  const supervised = engine;
  const server = await createLocalApi({
    runtime,
    ...(localAuth
      ? {
          authorize: localAuthorizer(localSigningKey(dataDir), localClient(dataDir).clientId),
          issueToken: (authorization: string | undefined, form: URLSearchParams) =>
            issueToken(localSigningKey(dataDir), localClient(dataDir), authorization, form),
        }
      : {}),
    storeAvailable: () => supervised.available(),
    deadLetters: async () => (notifications.notifier ? notifications.notifier.deadLetters() : []),
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', (error: Error & { code?: string }) =>
      fail(error.code === 'EADDRINUSE' ? new StartError(portInUse()) : error),
    );
    server.listen(port, host, ready);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${shownHost}:${actualPort}/tmf-api/customerManagement/v4`;
  const { LocalNotifier } = await import('../local/notifications.js');
  const notifier = new LocalNotifier({
    subscriptionStore: runtime.subscriptions,
    client: engine.client,
    endpoint: engine.endpoint,
    tableName,
    dataDir,
    baseUrl,
    retryScale: Number(process.env.LOCAL_RETRY_SCALE ?? 1),
  });
  notifications.notifier = notifier;
  notifier.start();
  console.log(`TMF629 Customer Management API ready at ${baseUrl}/`);
  console.log(
    `reference ${baseUrl}/docs; description ${baseUrl}/openapi.json (OpenAPI 3.0), ${baseUrl}/swagger.json (2.0)`,
  );
  if (localAuth) {
    localClient(dataDir); // made now, so its credentials can be read before the first token
    console.log(
      `LOCAL_AUTH on: every request needs a Bearer token; \`npm run -s token\` prints one, or POST ${baseUrl.replace(/\/tmf-api.*$/, '')}/oauth2/token (client credentials in ${dataDir}/local-client.json)`,
    );
  }
  // Bulk commands (npm run import/export/recount) on the same DATA_DIR use this server's engine.
  record = () =>
    recordRunningServer(dataDir, {
      pid: process.pid,
      endpoint: supervised.endpoint,
      tableName,
      indexedAttributes: process.env.INDEXED_ATTRIBUTES ?? '',
      enginePid: supervised.pid(),
      baseUrl,
    });
  record();
  console.log(`data in ${dataDir}; DynamoDB Local at ${engine.endpoint}, table ${tableName}; Ctrl+C stops`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    // The engine is stopped below, after the requests: its exit is no reason to restart it.
    supervised.shuttingDown();
    // Stop taking requests, let those in flight finish (their writes are acknowledged only once
    // the engine has them), then stop the engine.
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(forced);
    await notifier?.stop();
    forgetRunningServer(dataDir);
    await engine?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * The table remembers which attributes it was indexed for (`npm run reindex`): a start without the
 * same INDEXED_ATTRIBUTES would read those filters without their index and stop keeping it up to
 * date on writes. Say so at start, with the setting that matches the table.
 */
async function warnAboutIndexes(client: DynamoDBClient, lookupAttributes: readonly LookupAttribute[]): Promise<void> {
  const configured = new Set(
    lookupAttributes.filter((attribute) => !attribute.builtIn).map((attribute) => attribute.attribute),
  );
  // Asked of the engine itself, not through the handlers' endpoint (tests put a faulty proxy there).
  let states: Map<string, string>;
  try {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: INDEX_PARTITION } },
        ConsistentRead: true,
      }),
    );
    states = new Map(Items.map((item) => [item.sk?.S ?? '', item.status?.S ?? '']));
  } catch {
    return; // a start-up hint is never a reason not to start
  }

  const forgotten = [...states.keys()].filter((attribute) => !configured.has(attribute));
  if (forgotten.length > 0) {
    console.error(
      `warning: this table was indexed for ${forgotten.join(', ')}, which INDEXED_ATTRIBUTES does not name: ` +
        `filters on it read without the index and writes stop keeping it. Start with ` +
        `INDEXED_ATTRIBUTES=${[...states.keys()].join(',')}, or run \`npm run reindex\` (with the attributes you want) to drop it.`,
    );
  }
  const unbuilt = [...configured].filter((attribute) => states.get(attribute) !== 'active');
  if (unbuilt.length > 0) {
    console.error(
      `note: ${unbuilt.join(', ')} ${unbuilt.length > 1 ? 'are' : 'is'} not indexed yet on this table: lists filter without it until \`npm run reindex\` builds it.`,
    );
  }
}

/** A start-up failure the user can act on: its message is the whole story, no stack trace. */
class StartError extends Error {}

main().catch(async (error: unknown) => {
  if (error instanceof JavaMissingError || error instanceof StartError) console.error(error.message);
  else console.error('The local API could not start:', error);
  await engine?.stop();
  process.exit(1);
});
