/**
 * The one reader of the environment. Composition roots (each Lambda entry on its first call, the
 * local server, each CLI) call `readConfig` once and pass what it returns down; nothing below
 * them reads `process.env`. A missing or malformed variable fails loudly where it is read,
 * instead of failing each request obscurely. The stack, the local server and the CLIs name the
 * variables through `ENV`, never by repeating the literals.
 */
import { parseIndexedAttributes, type LookupAttribute } from './domain/lookupAttributes.js';

/** Every variable the functions read, by what it configures. */
export const ENV = {
  tableName: 'TABLE_NAME',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  exposeReadStats: 'EXPOSE_READ_STATS',
  maxQueryReadItems: 'MAX_QUERY_READ_ITEMS',
  allowPrivateCallbacks: 'ALLOW_PRIVATE_CALLBACKS',
  indexedAttributes: 'INDEXED_ATTRIBUTES',
  listCountAhead: 'LIST_COUNT_AHEAD',
  indexStateCacheSeconds: 'INDEX_STATE_CACHE_SECONDS',
  dynamodbRequestTimeoutMs: 'DYNAMODB_REQUEST_TIMEOUT_MS',
  requireTokenScopes: 'REQUIRE_TOKEN_SCOPES',
  eventBusName: 'EVENT_BUS_NAME',
  deliveryQueueUrl: 'DELIVERY_QUEUE_URL',
  apiSecurity: 'API_SECURITY',
  oauth2TokenUrl: 'OAUTH2_TOKEN_URL',
  oauth2AuthorizationUrl: 'OAUTH2_AUTHORIZATION_URL',
  activeRegionParameter: 'ACTIVE_REGION_PARAMETER',
  deploymentRegions: 'DEPLOYMENT_REGIONS',
  awsRegion: 'AWS_REGION',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Config {
  /** DynamoDB table holding customers (TABLE_NAME). */
  readonly tableName: string;
  /** Absolute URL clients use to reach the API base path, e.g. https://api.example.com/tmf-api/customerManagement/v4 (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string | undefined;
  /** DynamoDB endpoint override, for the local engine (DYNAMODB_ENDPOINT). */
  readonly dynamodbEndpoint: string | undefined;
  /** Answer with X-Read-Items / X-Read-Capacity / X-Write-Capacity headers (EXPOSE_READ_STATS=true). */
  readonly exposeReadStats: boolean;
  /** The most customers one list request may read for a filter no index narrows (MAX_QUERY_READ_ITEMS, default 250000). */
  readonly maxQueryReadItems: number;
  /** Accept hub callbacks to private, loopback and link-local addresses (ALLOW_PRIVATE_CALLBACKS=true; local use). */
  readonly allowPrivateCallbacks: boolean;
  /** Built-in lookup attributes plus those named in INDEXED_ATTRIBUTES (comma-separated attribute paths). */
  readonly lookupAttributes: readonly LookupAttribute[];
  /**
   * Customers a list request examines past a full page to count every match of a filter no index
   * serves (LIST_COUNT_AHEAD, default 10000; 0 never counts): within it, X-Total-Count is exact.
   */
  readonly listCountAhead: number;
  /** How long a list function trusts what it read of configured indexes' states (INDEX_STATE_CACHE_SECONDS, default 30). */
  readonly indexStateCacheMs: number;
  /**
   * How long one DynamoDB call may take before it is abandoned and retried
   * (DYNAMODB_REQUEST_TIMEOUT_MS, default 2500: API functions answer 503 in time). Batch jobs,
   * which nobody waits on, set it longer.
   */
  readonly dynamodbRequestTimeoutMs: number;
  /**
   * Calls carry the token's claims (the Cognito authorizer): an operation needing scopes beyond
   * the one API Gateway checks refuses a call without them (REQUIRE_TOKEN_SCOPES=true).
   */
  readonly requireTokenScopes: boolean;
  /**
   * A multi-Region deployment (active-passive): this function's Region, and the SSM parameter
   * naming the Region that takes writes (ACTIVE_REGION_PARAMETER, AWS_REGION). Writes in any other
   * Region answer 503, and each Region publishes only the changes written in it.
   */
  readonly multiRegion:
    | {
        readonly ownRegion: string;
        readonly activeRegionParameter: string;
        /** The deployment's other Regions (DEPLOYMENT_REGIONS less this one), whose copies a write also consults. */
        readonly otherRegions: readonly string[];
      }
    | undefined;
}

function positiveInteger(env: Environment, name: string, fallback: number, allowZero = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowZero ? /^(0|[1-9]\d*)$/ : /^[1-9]\d*$/).test(raw)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return Number(raw);
}

function lookupAttributesOf(env: Environment): readonly LookupAttribute[] {
  try {
    return parseIndexedAttributes(env[ENV.indexedAttributes]);
  } catch (error) {
    throw new Error(`${ENV.indexedAttributes}: ${(error as Error).message}`);
  }
}

export function readConfig(env: Environment): Config {
  const tableName = env[ENV.tableName];
  if (!tableName) {
    throw new Error(`${ENV.tableName} is not set: the function cannot know which DynamoDB table holds customers`);
  }
  const publicBaseUrl = env[ENV.publicBaseUrl] ? env[ENV.publicBaseUrl]?.replace(/\/+$/, '') : undefined;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new Error(`${ENV.publicBaseUrl} must be an absolute http(s) URL, got "${publicBaseUrl}"`);
  }
  return {
    tableName,
    publicBaseUrl,
    dynamodbEndpoint: env[ENV.dynamodbEndpoint] || undefined,
    exposeReadStats: env[ENV.exposeReadStats] === 'true',
    maxQueryReadItems: positiveInteger(env, ENV.maxQueryReadItems, 250_000),
    allowPrivateCallbacks: env[ENV.allowPrivateCallbacks] === 'true',
    lookupAttributes: lookupAttributesOf(env),
    listCountAhead: positiveInteger(env, ENV.listCountAhead, 10_000, true),
    indexStateCacheMs: positiveInteger(env, ENV.indexStateCacheSeconds, 30, true) * 1000,
    dynamodbRequestTimeoutMs: positiveInteger(env, ENV.dynamodbRequestTimeoutMs, 2500),
    requireTokenScopes: env[ENV.requireTokenScopes] === 'true',
    multiRegion: multiRegionOf(env),
  };
}

function multiRegionOf(env: Environment): Config['multiRegion'] {
  const activeRegionParameter = env[ENV.activeRegionParameter];
  if (!activeRegionParameter) return undefined;
  const ownRegion = env[ENV.awsRegion];
  if (!ownRegion) throw new Error(`${ENV.activeRegionParameter} needs ${ENV.awsRegion}: which Region is this?`);
  const otherRegions = (env[ENV.deploymentRegions] ?? '')
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '' && region !== ownRegion);
  return { ownRegion, activeRegionParameter, otherRegions };
}

/** Where the stream publisher sends what it publishes (EVENT_BUS_NAME, DELIVERY_QUEUE_URL, PUBLIC_BASE_URL). */
export interface PublisherConfig {
  readonly eventBusName: string;
  readonly deliveryQueueUrl: string;
  readonly publicBaseUrl: string;
}

export function readPublisherConfig(env: Environment, settings: Pick<Config, 'publicBaseUrl'>): PublisherConfig {
  const eventBusName = env[ENV.eventBusName];
  const deliveryQueueUrl = env[ENV.deliveryQueueUrl];
  const { publicBaseUrl } = settings;
  if (!eventBusName || !deliveryQueueUrl || !publicBaseUrl) {
    throw new Error(
      `${ENV.eventBusName}, ${ENV.deliveryQueueUrl} and ${ENV.publicBaseUrl} must be set for publishCustomerEvents`,
    );
  }
  return { eventBusName, deliveryQueueUrl, publicBaseUrl };
}

/** How the deployment checks callers, as the description tells tools. */
export type ApiSecurity =
  | { readonly kind: 'none' }
  /** Cognito (or the local token endpoint): client credentials, plus the authorization-code grant when set. */
  | { readonly kind: 'oauth2'; readonly tokenUrl: string; readonly authorizationUrl?: string }
  | { readonly kind: 'sigv4' };

/** The security the environment declares (set by the stack; by the local server with LOCAL_AUTH). */
export function apiSecurityFrom(env: Environment): ApiSecurity {
  const kind = env[ENV.apiSecurity] ?? 'none';
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'sigv4') return { kind: 'sigv4' };
  if (kind === 'oauth2') {
    const tokenUrl = env[ENV.oauth2TokenUrl];
    if (!tokenUrl) throw new Error('API_SECURITY=oauth2 needs OAUTH2_TOKEN_URL');
    return {
      kind,
      tokenUrl,
      ...(env[ENV.oauth2AuthorizationUrl] ? { authorizationUrl: env[ENV.oauth2AuthorizationUrl] } : {}),
    };
  }
  throw new Error(`API_SECURITY must be none, oauth2 or sigv4, got "${kind}"`);
}
