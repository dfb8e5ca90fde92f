/**
 * npm run postman [-- <base URL>] [--out <folder>]
 *
 * Writes a Postman collection and environment for this API, converted from its OpenAPI
 * description by Postman's own converter (openapi-to-postmanv2), with OAuth2 client credentials
 * preconfigured on the collection: every request inherits it, Postman fetches the token.
 *   no URL      the local server's description (as `npm start` serves it on PORT and HOST; OAuth2
 *               for LOCAL_AUTH, with the client id and secret of DATA_DIR's local client filled in)
 *   <base URL>  a running deployment's live {base}/openapi.json (its server URL and token URL)
 * Output (default ./postman): TMF629.postman_collection.json and TMF629.postman_environment.json for
 * v4, TMF629-v5.postman_collection.json and TMF629-v5.postman_environment.json for v5 (its own
 * description, …/tmf-api/customer/v5/openapi.json).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommand } from './cli/command.js';
import Converter from 'openapi-to-postmanv2';
import { describeApi } from '../functions/apiDescription/liveDescription.js';
import { ALL_SCOPES, type ApiVersion } from '../functions/operations.js';
import { localClient, type LocalClient } from '../local/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- converter output and OpenAPI documents are untyped JSON
type Json = Record<string, any>;
const DEFAULT_LOCAL_ORIGIN = 'http://127.0.0.1:3000';
const LOCAL_BASE = `${DEFAULT_LOCAL_ORIGIN}/tmf-api/customerManagement/v4`;

/** Where `npm start` serves, from the same PORT and HOST it reads. */
export function localOrigin(env: NodeJS.ProcessEnv): string {
  const host = env.HOST && env.HOST !== '0.0.0.0' && env.HOST !== '::' ? env.HOST : '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT ?? 3000}`;
}

/** The description of one version: `baseUrl` is the v4 base URL (the v5 one sits beside it). */
export async function descriptionFrom(
  baseUrl: string | undefined,
  origin = DEFAULT_LOCAL_ORIGIN,
  version: ApiVersion = 'v4',
): Promise<Json> {
  const local = `${origin}/tmf-api/customerManagement/v4`;
  const base = (baseUrl ?? local).replace(/\/+$/, '');
  const versionBase =
    version === 'v5' ? base.replace(/\/tmf-api\/customerManagement\/v4$/, '/tmf-api/customer/v5') : base;
  if (!baseUrl)
    return describeApi(version === 'v5' ? 'openapi-v5' : 'openapi', versionBase, {
      kind: 'oauth2',
      tokenUrl: `${origin}/oauth2/token`,
    });
  const url = `${versionBase}/openapi.json`;
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as Json;
}

function convert(document: Json): Promise<Json> {
  return new Promise((done, fail) => {
    Converter.convert(
      { type: 'json', data: document },
      {
        folderStrategy: 'Tags',
        parametersResolution: 'Example',
        requestParametersResolution: 'Example',
        requestNameSource: 'Fallback',
        // Optional filters stay unticked: the list request lists, until the user picks a filter.
        enableOptionalParameters: false,
        alwaysInheritAuthentication: true,
      },
      (error: Error | null, result: { result: boolean; reason?: string; output?: { data: Json }[] }) => {
        if (error) return fail(error);
        if (!result.result || !result.output?.[0])
          return fail(new Error(`conversion failed: ${result.reason ?? 'no output'}`));
        done(result.output[0].data);
      },
    );
  });
}

/** The collection and its environment for the description (with `tokenUrl` when it declares OAuth2). */
export async function postmanAssets(
  document: Json,
  client?: LocalClient,
): Promise<{ collection: Json; environment: Json }> {
  const collection = await convert(document);
  const oauth2 = document.components?.securitySchemes?.tmf629?.flows?.clientCredentials as Json | undefined;
  if (oauth2) {
    collection.auth = {
      type: 'oauth2',
      oauth2: [
        { key: 'grant_type', value: 'client_credentials', type: 'string' },
        { key: 'accessTokenUrl', value: '{{tokenUrl}}', type: 'string' },
        { key: 'clientId', value: '{{clientId}}', type: 'string' },
        { key: 'clientSecret', value: '{{clientSecret}}', type: 'string' },
        { key: 'scope', value: '{{scope}}', type: 'string' },
        { key: 'client_authentication', value: 'header', type: 'string' },
        { key: 'tokenName', value: 'tmf629', type: 'string' },
        { key: 'addTokenTo', value: 'header', type: 'string' },
      ],
    };
  }
  const baseUrl = (document.servers?.[0]?.url as string | undefined) ?? LOCAL_BASE;
  const environment = {
    name: `TMF629 ${new URL(baseUrl).host}`,
    values: [
      { key: 'baseUrl', value: baseUrl, type: 'default', enabled: true },
      ...(oauth2
        ? [
            { key: 'tokenUrl', value: oauth2.tokenUrl as string, type: 'default', enabled: true },
            { key: 'clientId', value: client?.clientId ?? '', type: 'default', enabled: true },
            { key: 'clientSecret', value: client?.clientSecret ?? '', type: 'secret', enabled: true },
            { key: 'scope', value: ALL_SCOPES.join(' '), type: 'default', enabled: true },
          ]
        : []),
    ],
  };
  return { collection, environment };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { options, args: positionals } = parseCommand('postman', (command) =>
    command
      .description('Write a Postman collection and environment from the API description')
      .argument('[base-url]', "a deployment's base URL (default: the local server's description)")
      .option('--out <dir>', 'where the files go', 'postman'),
  );
  const values = options as { out: string };
  const deployed = positionals[0];
  // Locally, the client `npm start` made in DATA_DIR (LOCAL_AUTH): nothing left to fill in.
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const client = !deployed && existsSync(join(dataDir, 'local-client.json')) ? localClient(dataDir) : undefined;
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  let authorized = false;
  for (const [version, name] of [
    ['v4', 'TMF629'],
    ['v5', 'TMF629-v5'],
  ] as const) {
    const document = await descriptionFrom(deployed, localOrigin(process.env), version);
    const { collection, environment } = await postmanAssets(document, client);
    const files = {
      [join(out, `${name}.postman_collection.json`)]: collection,
      [join(out, `${name}.postman_environment.json`)]: environment,
    };
    for (const [file, content] of Object.entries(files)) writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
    const requests = (collection.item as Json[]).flatMap((folder) => folder.item ?? [folder]).length;
    console.log(
      `wrote ${Object.keys(files).join(' and ')}: ${requests} requests against ${environment.values[0]?.value}`,
    );
    authorized ||= collection.auth !== undefined;
  }
  if (authorized)
    console.log(
      client
        ? `OAuth2 client credentials preconfigured with the local client of ${dataDir}`
        : 'OAuth2 client credentials preconfigured: fill clientId and clientSecret in the environment',
    );
}
