/**
 * The API's own description as served: the generated bases (scripts/buildDescription.ts, from the
 * official swagger plus what the service does) completed with what only the running deployment
 * knows, its base URL and how it checks callers. Shared by the describeApi Lambda and the local
 * server, so both describe themselves the same way.
 */
import openapiBase from '../generated/openapi.base.json' with { type: 'json' };
import swaggerBase from '../generated/swagger.base.json' with { type: 'json' };
import openapiBaseV5 from '../generated/v5/openapi.base.json' with { type: 'json' };
import type { ApiSecurity } from '../config.js';
import {
  API_BASE_PATHS,
  basePathOf,
  operations,
  requiredScopesOf,
  scopeOf,
  type Access,
  type ApiVersion,
} from '../operations.js';

type Json = Record<string, unknown>;

export type { ApiSecurity } from '../config.js';

/** `openapi` and `swagger` describe v4 (OpenAPI 3.0 and Swagger 2.0); `openapi-v5` is TMF629 v5.0.1. */
export type DescriptionFormat = 'openapi' | 'swagger' | 'openapi-v5';

const SCHEME = 'tmf629';
const PASTED_TOKEN = 'accessToken';
const pastedTokenScheme = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'An access token from the token endpoint (client credentials or authorization code), pasted as is',
};

const scopeDescriptions: Record<Access, string> = {
  read: 'Read customers (listCustomer, retrieveCustomer)',
  write: 'Create, change and delete customers (createCustomer, patchCustomer, deleteCustomer)',
  hub: 'Manage event subscriptions (registerListener, retrieveListener, unregisterListener)',
};

function scopes(): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(scopeDescriptions) as Access[]).map((access) => [scopeOf(access), scopeDescriptions[access]]),
  );
}

const sigv4Scheme = {
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  description: 'AWS Signature Version 4 (service execute-api); the caller needs execute-api:Invoke on this API',
  'x-amazon-apigateway-authtype': 'awsSigv4',
};

function securityScheme(format: DescriptionFormat, security: ApiSecurity): Json | undefined {
  if (security.kind === 'none') return undefined;
  if (security.kind === 'sigv4') return sigv4Scheme;
  const description =
    'OAuth 2.0. Machine clients use the client-credentials grant' +
    (security.authorizationUrl ? '; low-code tools (Power Platform, Salesforce) the authorization-code grant' : '') +
    '. Ask only for the scopes the integration needs.';
  if (format === 'swagger') {
    // Swagger 2.0 holds one flow per definition; tools that take only 2.0 need the interactive one.
    return security.authorizationUrl
      ? {
          type: 'oauth2',
          flow: 'accessCode',
          authorizationUrl: security.authorizationUrl,
          tokenUrl: security.tokenUrl,
          scopes: scopes(),
          description,
        }
      : { type: 'oauth2', flow: 'application', tokenUrl: security.tokenUrl, scopes: scopes(), description };
  }
  return {
    type: 'oauth2',
    description,
    flows: {
      clientCredentials: { tokenUrl: security.tokenUrl, scopes: scopes() },
      ...(security.authorizationUrl
        ? {
            authorizationCode: {
              authorizationUrl: security.authorizationUrl,
              tokenUrl: security.tokenUrl,
              scopes: scopes(),
            },
          }
        : {}),
    },
  };
}

const bases: Record<DescriptionFormat, Json> = {
  openapi: openapiBase,
  swagger: swaggerBase,
  'openapi-v5': openapiBaseV5,
};

/**
 * The description of this API at `baseUrl` (…/tmf-api/customerManagement/v4, or …/customer/v5 for
 * `openapi-v5`), secured as `security` says; `indexedAttributes` (the deployment's
 * INDEXED_ATTRIBUTES, v4 attribute paths) become listed filters in the v4 descriptions.
 */
export function describeApi(
  format: DescriptionFormat,
  baseUrl: string,
  security: ApiSecurity,
  indexedAttributes: readonly string[] = [],
): Json {
  const document = structuredClone(bases[format]) as Json & {
    paths: Record<string, Record<string, Json & { security?: Json[] }>>;
  };
  const version: ApiVersion = format === 'openapi-v5' ? 'v5' : 'v4';
  const scheme = securityScheme(format === 'swagger' ? 'swagger' : 'openapi', security);
  for (const operation of operations) {
    if (basePathOf(operation) !== API_BASE_PATHS[version]) continue;
    const described = document.paths[operation.path]?.[operation.method.toLowerCase()];
    if (!described) throw new Error(`the API description lacks ${operation.operationId}`);
    // Open: said explicitly, so a reader (and a linter) knows no credential is needed, not forgotten.
    if (!scheme) {
      described.security = [];
      continue;
    }
    described.security = [{ [SCHEME]: scheme.type === 'oauth2' ? requiredScopesOf(operation) : [] }];
    // 3.0 can offer a second way in: a token obtained elsewhere, pasted (the reference page's Authorize).
    if (format !== 'swagger' && scheme.type === 'oauth2') described.security.push({ [PASTED_TOKEN]: [] });
  }
  if (version === 'v5') {
    document.servers = [{ url: baseUrl, description: 'This deployment' }];
    if (scheme) (document.components as Json).securitySchemes = securitySchemesOf(scheme);
    return document;
  }
  const list = document.paths['/customer']?.get as { parameters: Json[] };
  for (const attribute of indexedAttributes) {
    if (list.parameters.some((parameter) => parameter.name === attribute)) continue;
    const description = `Filter on \`${attribute}\` (indexed by this deployment): equality, a comma ORs values`;
    list.parameters.push(
      format === 'openapi'
        ? { name: attribute, in: 'query', required: false, description, schema: { type: 'string' } }
        : { name: attribute, in: 'query', required: false, description, type: 'string' },
    );
  }
  const url = new URL(baseUrl);
  if (format === 'openapi') {
    document.servers = [{ url: baseUrl, description: 'This deployment' }];
    if (scheme) (document.components as Json).securitySchemes = securitySchemesOf(scheme);
  } else {
    document.host = url.host;
    document.basePath = url.pathname;
    document.schemes = [url.protocol.replace(':', '')];
    if (scheme) document.securityDefinitions = { [SCHEME]: scheme };
  }
  return document;
}

function securitySchemesOf(scheme: Json): Json {
  return { [SCHEME]: scheme, ...(scheme.type === 'oauth2' ? { [PASTED_TOKEN]: pastedTokenScheme } : {}) };
}

/** A token URL given as a path (the local server's `/oauth2/token`) is on the caller's origin. */
export function resolvedSecurity(security: ApiSecurity, baseUrl: string): ApiSecurity {
  if (security.kind !== 'oauth2') return security;
  const origin = new URL(baseUrl).origin;
  const absolute = (url: string) => new URL(url, origin).href;
  return {
    kind: 'oauth2',
    tokenUrl: absolute(security.tokenUrl),
    ...(security.authorizationUrl ? { authorizationUrl: absolute(security.authorizationUrl) } : {}),
  };
}
