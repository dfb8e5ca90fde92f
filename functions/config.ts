/**
 * Runtime configuration, read once at cold start. A missing required variable fails the
 * function's initialisation loudly instead of failing each request obscurely.
 */
import { parseIndexedAttributes, type LookupAttribute } from './repository/customerTable.js';

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
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowZero ? /^(0|[1-9]\d*)$/ : /^[1-9]\d*$/).test(raw)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  }
  return Number(raw);
}

function lookupAttributesOf(env: NodeJS.ProcessEnv): readonly LookupAttribute[] {
  try {
    return parseIndexedAttributes(env.INDEXED_ATTRIBUTES);
  } catch (error) {
    throw new Error(`INDEXED_ATTRIBUTES: ${(error as Error).message}`);
  }
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const tableName = env.TABLE_NAME;
  if (!tableName) {
    throw new Error('TABLE_NAME is not set: the function cannot know which DynamoDB table holds customers');
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL.replace(/\/+$/, '') : undefined;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new Error(`PUBLIC_BASE_URL must be an absolute http(s) URL, got "${publicBaseUrl}"`);
  }
  return {
    tableName,
    publicBaseUrl,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    exposeReadStats: env.EXPOSE_READ_STATS === 'true',
    maxQueryReadItems: positiveInteger(env, 'MAX_QUERY_READ_ITEMS', 250_000),
    allowPrivateCallbacks: env.ALLOW_PRIVATE_CALLBACKS === 'true',
    lookupAttributes: lookupAttributesOf(env),
    listCountAhead: positiveInteger(env, 'LIST_COUNT_AHEAD', 10_000, true),
    indexStateCacheMs: positiveInteger(env, 'INDEX_STATE_CACHE_SECONDS', 30, true) * 1000,
    dynamodbRequestTimeoutMs: positiveInteger(env, 'DYNAMODB_REQUEST_TIMEOUT_MS', 2500),
    requireTokenScopes: env.REQUIRE_TOKEN_SCOPES === 'true',
  };
}

let current: Config | undefined;

/** The process-wide configuration, read from the environment on first use. */
export function config(): Config {
  current ??= readConfig(process.env);
  return current;
}
