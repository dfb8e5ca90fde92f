/**
 * `npm run ctk [-- <base URL>] [auth options]`: runs two conformance collections with Newman
 * against the given base URL (ending in /tmf-api/customerManagement/v4/), or against a fresh local
 * server it starts and stops itself:
 *   - ours: ctk/TMF629-Customer-v4-CTK.postman_collection.json (the kit's checks, really compared);
 *   - TM Forum's own CTK-Customer-4.0.0, read unmodified from CTK_OFFICIAL_DIR, ../shared/tmf629/
 *     ctk-official or .ctk-official (`npm run ctk:fetch`), and prepared as the kit's runner
 *     prepares it (its headers on every request, its payload in the create, its base URL
 *     variable); when absent, skipped with the one command that fetches it.
 *
 * A deployed stage needs credentials:
 *   --token-url U --client-id I --client-secret S [--scope "a b"]   OAuth2 client credentials
 *     (or CTK_TOKEN_URL, CTK_CLIENT_ID, CTK_CLIENT_SECRET, CTK_SCOPES): the token goes in an
 *     Authorization header on every request, the only header added to the kit's own;
 *   --sigv4 [--region R]   authMode=iam: every request signed with the caller's AWS credentials.
 * Without a URL, the local server is started with LOCAL_AUTH=true when --local-auth is given, and
 * the token then comes from its own client-credentials endpoint, as from a deployment.
 *
 *   - TMF629 v5: our v5 conformance run (test/integration/v5Conformance.test.ts), when no URL is
 *     given: it needs a listener the server can call, so it starts a fresh local server of its own.
 *
 * Writes reports/ctk*.json and reports/ctk-summary.json ({ours, official, v5, passed, failed}), and
 * exits non-zero when any assertion fails.
 * Over 300 lines: one command with its options, its two kits and its report, read top to bottom.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommand } from './cli/command.js';
import newman from 'newman';
import { startLocalApi, type RunningLocalApi } from '../local/childServer.js';
import { DEFAULT_LIMIT } from '../functions/domain/listQuery.js';
import { collectionPath } from '../scripts/ctk-collection.js';
import {
  findOfficialKit,
  officialKitMissing,
  prepareOfficialKit,
  type PostmanCollection,
  type PreparedKit,
} from './cli/ctkOfficial.js';

const root = join(import.meta.dirname, '..');
const reportsDir = resolve(process.env.CTK_REPORTS_DIR ?? join(root, 'reports'));

const { options, args: positionals } = parseCommand('ctk', (command) =>
  command
    .description("Run our TMF629 CTK collection and TM Forum's CTK-Customer-4.0.0 with Newman")
    .argument('[base-url]', 'a stage (…/tmf-api/customerManagement/v4/); default: a fresh local server')
    .option('--token-url <url>', 'OAuth2 client credentials: token endpoint (CTK_TOKEN_URL)')
    .option('--client-id <id>', 'OAuth2 client id (CTK_CLIENT_ID)')
    .option('--client-secret <secret>', 'OAuth2 client secret (CTK_CLIENT_SECRET)')
    .option('--scope <scopes>', 'space-separated scopes (CTK_SCOPES)')
    .option('--sigv4', "sign every request with the caller's AWS credentials (authMode=iam)")
    .option('--region <region>', 'the Region to sign for (with --sigv4)')
    .option('--local-auth', 'start the local server with LOCAL_AUTH=true and use its tokens')
    .option('--allow-populated', 'run on a stage holding more than a page of customers (the kits then fail)'),
);
const values = options as {
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  sigv4?: boolean;
  region?: string;
  localAuth?: boolean;
  allowPopulated?: boolean;
};

/** How requests are authorised: a Bearer token, SigV4, or nothing (a local server without auth). */
type Auth = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'sigv4'; region: string };

export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
}

/** An access token by the OAuth2 client-credentials grant (RFC 6749 §4.4), as Cognito's endpoint takes it. */
export async function clientCredentialsToken(credentials: ClientCredentials): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credentials.scope) body.set('scope', credentials.scope);
  const response = await fetch(credentials.tokenUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
    },
    body,
  });
  const answer = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!response.ok || !answer.access_token) {
    throw new Error(`the token endpoint ${credentials.tokenUrl} answered ${response.status} ${answer.error ?? ''}`);
  }
  return answer.access_token;
}

function credentialsFromOptions(): ClientCredentials | undefined {
  const tokenUrl = values.tokenUrl ?? process.env.CTK_TOKEN_URL;
  const clientId = values.clientId ?? process.env.CTK_CLIENT_ID;
  const clientSecret = values.clientSecret ?? process.env.CTK_CLIENT_SECRET;
  const scope = values.scope ?? process.env.CTK_SCOPES;
  if (!tokenUrl && !clientId && !clientSecret) return undefined;
  if (!tokenUrl || !clientId || !clientSecret) {
    throw new Error('client credentials need a token URL, a client id and a client secret');
  }
  return { tokenUrl, clientId, clientSecret, ...(scope ? { scope } : {}) };
}

/** Adds what the target needs to authorise every request of a collection. */
async function authorised(collection: PostmanCollection, auth: Auth): Promise<PostmanCollection> {
  if (auth.kind === 'none') return collection;
  if (auth.kind === 'bearer') {
    return { ...collection, auth: { type: 'bearer', bearer: [{ key: 'token', value: auth.token, type: 'string' }] } };
  }
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  const aws = await defaultProvider()();
  const entry = (key: string, value: string | undefined) => ({ key, value: value ?? '', type: 'string' });
  return {
    ...collection,
    auth: {
      type: 'awsv4',
      awsv4: [
        entry('accessKey', aws.accessKeyId),
        entry('secretKey', aws.secretAccessKey),
        entry('sessionToken', aws.sessionToken),
        entry('region', auth.region),
        entry('service', 'execute-api'),
      ],
    },
  };
}

interface RunResult {
  readonly passed: number;
  readonly failed: number;
}

/** One request of a run: what was asked and answered (newman's execution, narrowed). */
interface Exchange {
  readonly method: string;
  readonly status: number | undefined;
  readonly header: (name: string) => string | undefined;
  readonly body: string;
}

function newmanRun(
  collection: PostmanCollection,
  environment: object,
  options: { reportFile?: string; quiet?: boolean } = {},
): Promise<{ summary: newman.NewmanRunSummary; exchanges: Exchange[] }> {
  return new Promise((resolveRun, reject) => {
    newman.run(
      {
        collection: collection as unknown as newman.NewmanRunOptions['collection'],
        environment: environment as newman.NewmanRunOptions['environment'],
        reporters: options.quiet ? [] : options.reportFile ? ['cli', 'json'] : ['cli'],
        ...(options.reportFile ? { reporter: { json: { export: join(reportsDir, options.reportFile) } } } : {}),
      },
      (error, summary) => {
        if (error) return reject(error);
        const exchanges = summary.run.executions.map((execution) => ({
          method: String(execution.request?.method ?? ''),
          status: execution.response?.code,
          header: (name: string) => execution.response?.headers?.get(name) as string | undefined,
          body: execution.response?.stream ? Buffer.from(execution.response.stream).toString('utf8') : '',
        }));
        resolveRun({ summary, exchanges });
      },
    );
  });
}

async function run(
  name: string,
  collection: PostmanCollection,
  environment: object,
  reportFile: string,
  auth: Auth,
  baseUrl: string,
): Promise<RunResult> {
  const { summary, exchanges } = await newmanRun(collection, environment, { reportFile });
  const { total, failed } = summary.run.stats.assertions;
  const requestsFailed = summary.run.stats.requests.failed ?? 0;
  const result = { passed: (total ?? 0) - (failed ?? 0), failed: (failed ?? 0) + requestsFailed };
  console.log(`${name}: ${result.passed} passed, ${result.failed} failed`);
  await removeCreated(exchanges, auth, baseUrl);
  return result;
}

/** A collection of plain requests, authorised as the kits are (bearer or SigV4). */
async function requests(items: { name: string; method: string; url: string }[], auth: Auth) {
  const collection = {
    info: { name: 'CTK housekeeping', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: items.map((item) => ({ name: item.name, request: { method: item.method, url: item.url, header: [] } })),
  } as unknown as PostmanCollection;
  return (await newmanRun(await authorised(collection, auth), { values: [] }, { quiet: true })).exchanges;
}

/**
 * What a collection created, deleted once it has run: a certified stage keeps only its own
 * customers, and the next run starts from the same count. Its subscriptions the kits remove themselves.
 */
async function removeCreated(exchanges: Exchange[], auth: Auth, baseUrl: string): Promise<void> {
  const ids = exchanges
    .filter((exchange) => exchange.method === 'POST' && exchange.status === 201)
    .map((exchange) => {
      try {
        return (JSON.parse(exchange.body) as { id?: unknown; href?: unknown }).href;
      } catch {
        return undefined;
      }
    })
    .filter((href): href is string => typeof href === 'string' && href.includes('/customer/'))
    .map((href) => decodeURIComponent(href.slice(href.lastIndexOf('/customer/') + '/customer/'.length)));
  if (ids.length === 0) return;
  const answers = await requests(
    ids.map((id) => ({ name: `delete ${id}`, method: 'DELETE', url: `${baseUrl}customer/${encodeURIComponent(id)}` })),
    auth,
  );
  const left = answers.filter((answer) => answer.status !== 204 && answer.status !== 404).length;
  console.log(
    `removed the ${ids.length - left} customer(s) the collection created${left ? `; ${left} could not be` : ''}`,
  );
}

/** Customers a collection creates before its unpaged list checks (each POST /customer). */
function createsIn(collection: PostmanCollection): number {
  const count = (items: unknown[]): number =>
    items.reduce<number>((sum, item) => {
      const entry = item as { item?: unknown[]; request?: { method?: string } };
      return sum + (entry.item ? count(entry.item) : entry.request?.method === 'POST' ? 1 : 0);
    }, 0);
  return count(collection.item);
}

/**
 * The kits were written for a stage of their own: they list customers without paging and expect
 * 200. TMF630 answers such a list with a 206 page once there are more customers than the default
 * page, which the kits count as failures. Rather than bend that rule for them, the runner checks
 * first and says what to do.
 */
async function populatedStageProblem(baseUrl: string, auth: Auth, creates: number): Promise<string | undefined> {
  const [answer] = await requests(
    [{ name: 'count', method: 'GET', url: `${baseUrl}customer?limit=1&fields=id` }],
    auth,
  );
  const total = Number(answer?.header('X-Total-Count'));
  if (answer?.status === undefined || answer.status >= 400 || !Number.isFinite(total)) return undefined; // the kits will say
  if (total + creates <= DEFAULT_LIMIT) return undefined;
  return (
    `This stage holds ${total} customers. The kits list customers without paging and expect 200; TMF630 answers ` +
    `such a list with a 206 page once more than ${DEFAULT_LIMIT} customers match (the default page), so they would fail ` +
    `on the list checks, not on the API. Certify a stage of its own: a throw-away stack on an empty table ` +
    `(docs/operators.md, "Certify a deployed stage with the CTK"). --allow-populated runs anyway.`
  );
}

async function main(): Promise<number> {
  const given = positionals[0];
  let local: RunningLocalApi | undefined;
  try {
    let auth: Auth = { kind: 'none' };
    let credentials = credentialsFromOptions();
    if (!given) {
      const localAuth = values.localAuth === true;
      local = await startLocalApi(localAuth ? { env: { LOCAL_AUTH: 'true' } } : {});
      if (localAuth) credentials ??= localClientCredentials(local);
    }
    if (values.sigv4) {
      const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      if (!region) throw new Error('--sigv4 needs --region (or AWS_REGION)');
      auth = { kind: 'sigv4', region };
    } else if (credentials) {
      auth = { kind: 'bearer', token: await clientCredentialsToken(credentials) };
    }
    const baseUrl = given ? (given.endsWith('/') ? given : `${given}/`) : (local?.baseUrl ?? '');
    mkdirSync(reportsDir, { recursive: true });
    console.log(`CTK against ${baseUrl} (${auth.kind === 'none' ? 'no credentials' : auth.kind})`);

    const ourCollection = JSON.parse(readFileSync(collectionPath, 'utf8')) as PostmanCollection;
    const kitFiles = findOfficialKit(root);
    const kit: PreparedKit | undefined = kitFiles ? prepareOfficialKit(kitFiles, baseUrl) : undefined;
    const creates = Math.max(createsIn(ourCollection), kit ? createsIn(kit.collection) : 0);
    const problem = values.allowPopulated ? undefined : await populatedStageProblem(baseUrl, auth, creates);
    if (problem) {
      console.error(problem);
      return 2;
    }

    const ours = await run(
      'our CTK collection',
      await authorised(ourCollection, auth),
      { values: [{ key: 'Customer', value: baseUrl, type: 'default' }] },
      'ctk.json',
      auth,
      baseUrl,
    );
    let official: RunResult | undefined;
    if (kit) {
      official = await run(
        "TM Forum's CTK-Customer-4.0.0",
        await authorised(kit.collection, auth),
        kit.environment,
        'ctk-official.json',
        auth,
        baseUrl,
      );
    } else {
      console.log(officialKitMissing());
    }
    // TMF629 v5: TM Forum publishes no v5 kit; our conformance run needs a listener the server can
    // call, so it runs against a fresh local server of its own (here too, as in npm test).
    const v5 = given ? undefined : runV5Conformance();
    if (given) console.log(`v5 conformance: skipped for ${given} (it runs against a fresh local server)`);
    const summary = {
      ours,
      ...(official ? { official } : { official: 'skipped' }),
      v5: v5 ?? 'skipped',
      passed: ours.passed + (official?.passed ?? 0) + (v5?.passed ?? 0),
      failed: ours.failed + (official?.failed ?? 0) + (v5?.failed ?? 0),
    };
    writeFileSync(join(reportsDir, 'ctk-summary.json'), JSON.stringify(summary));
    console.log(`CTK: ${summary.passed} passed, ${summary.failed} failed`);
    return summary.failed === 0 ? 0 : 1;
  } finally {
    await local?.stop();
  }
}

/**
 * The v5 conformance run (test/integration/v5Conformance.test.ts: every v5 operation, each answer
 * validated against the official v5.0.1 schema it names, the four event types), by vitest.
 */
function runV5Conformance(): { passed: number; failed: number } {
  const reportFile = join(reportsDir, 'ctk-v5.json');
  rmSync(reportFile, { force: true });
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'vitest'),
    [
      'run',
      '--project',
      'integration',
      'test/integration/v5Conformance.test.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
    ],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  const report = existsSync(reportFile)
    ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { numPassedTests: number; numFailedTests: number })
    : undefined;
  // A run that failed without a failing test (it could not start, a hook threw) counts as one failure.
  const failed = report?.numFailedTests ?? 0;
  const result = { passed: report?.numPassedTests ?? 0, failed: failed || (run.status === 0 ? 0 : 1) };
  console.log(`v5 conformance: ${result.passed} passed, ${result.failed} failed`);
  return result;
}

/** The local server's own client (LOCAL_AUTH), as a deployment's app client would be given. */
function localClientCredentials(local: RunningLocalApi): ClientCredentials {
  const client = JSON.parse(readFileSync(join(local.dataDir, 'local-client.json'), 'utf8')) as {
    clientId: string;
    clientSecret: string;
  };
  return { tokenUrl: new URL('/oauth2/token', local.baseUrl).toString(), ...client };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('CTK run failed:', error);
    process.exit(1);
  },
);
