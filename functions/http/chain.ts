/**
 * The one middy chain every TMF629 Lambda is built from: structured logging with the request's
 * context, request reading (headers, query, body, base URL), and the single place where errors
 * become TMF Error responses.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Config } from '../config.js';
import { StoreUnavailableError } from '../domain/ports.js';
import type { WriteGate } from '../domain/writeRegion.js';
import { ForbiddenError, InternalError, ServiceUnavailableError, TmfError } from '../errors.js';
import { basePathOf, operations, requiredScopesOf, type OperationDefinition } from '../operations.js';
import { withReadStats } from '../readStats.js';
import { logger, metrics } from './logger.js';
import { readRequest, type BodyOptions, type TmfRequest } from './request.js';
import { errorResponse } from './response.js';

export type TmfOperation = (request: TmfRequest & { readonly deadline: number }) => Promise<APIGatewayProxyResult>;

const DEADLINE_MARGIN_MS = 1500;
export type TmfLambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface OperationOptions {
  /** Set for operations that take a JSON body. */
  readonly body?: BodyOptions;
  /** For routes that are not operations (the description): the base path the request came under. */
  readonly basePath?: string;
}

const tmfErrors = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    const { error } = request;
    if (error instanceof TmfError) {
      if (error.status >= 500) logger.error('request failed', { error });
      else logger.info('request refused', { status: error.status, code: error.code, detail: error.message });
      request.response = errorResponse(error);
      return;
    }
    if ((error as Error | undefined)?.name === 'TimeoutError') {
      // middy stops the handler just before the function's time limit.
      logger.error('request timed out', { error: error as Error });
      request.response = errorResponse(
        new ServiceUnavailableError('The request did not complete in time; retry, or narrow the query'),
      );
      return;
    }
    // The store failed for now: the one place a storage failure becomes a 503.
    if (error instanceof StoreUnavailableError) {
      logger.warn('storage unavailable', { error: error as Error });
      request.response = errorResponse(new ServiceUnavailableError(error.message));
      return;
    }
    // Details go to the log only; the client learns that something failed, not what or where.
    logger.error('unexpected failure', { error: error as Error });
    request.response = errorResponse(new InternalError('The request could not be completed; it has been logged'));
  },
});

/** Reports what the request read and wrote from DynamoDB, for benchmarks and cost checks. */
async function withReadStatsHeaders(run: () => Promise<APIGatewayProxyResult>): Promise<APIGatewayProxyResult> {
  const { result, stats } = await withReadStats(run);
  result.headers = {
    ...result.headers,
    'X-Read-Items': String(stats.itemsRead),
    'X-Customers-Examined': String(stats.customersExamined),
    'X-Read-Capacity': String(stats.readCapacity),
    'X-Write-Capacity': String(stats.writeCapacity),
  };
  return result;
}

/** One EMF metric per answer, by operation and status class (Responses2xx, Responses4xx, Responses5xx). */
const responseMetrics = (operationId: string): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const count = (request: middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
    metrics.addDimension('operation', operationId);
    metrics.addMetric(`Responses${Math.floor((request.response?.statusCode ?? 500) / 100)}xx`, MetricUnit.Count, 1);
  };
  return { after: count, onError: count };
};

/**
 * The scopes a call needs beyond the one API Gateway checked (operations.ts `alsoNeeds`), read
 * from the token's claims as the Cognito authorizer (or the local server) passes them. Where the
 * deployment says tokens carry scopes (REQUIRE_TOKEN_SCOPES), a call without claims is refused
 * too, so a misrouted request fails closed.
 */
function scopeCheck(
  definition: OperationDefinition | undefined,
  requireTokenScopes: boolean,
): (event: APIGatewayProxyEvent) => void {
  const extra = definition ? requiredScopesOf(definition).slice(1) : [];
  if (extra.length === 0) return () => undefined;
  return (event) => {
    const claims = (event.requestContext?.authorizer as { claims?: { scope?: unknown } } | null | undefined)?.claims;
    if (claims === undefined && !requireTokenScopes) return; // open local server, or SigV4 (IAM decides)
    const granted = typeof claims?.scope === 'string' ? claims.scope.split(' ') : [];
    const missing = extra.filter((scope) => !granted.includes(scope));
    if (missing.length > 0) throw new ForbiddenError(`This operation needs the scope ${missing.join(' and ')} too`);
  };
}

/** What the chain takes from the deployment's configuration. */
export type ChainSettings = Pick<Config, 'exposeReadStats' | 'requireTokenScopes' | 'publicBaseUrl'> & {
  /** Multi-Region: resolves when this Region may write (writes only; see domain/writeRegion.ts). */
  readonly writeGate?: WriteGate;
};

export function tmfHandler(
  operationId: string,
  settings: ChainSettings,
  operation: TmfOperation,
  options: OperationOptions = {},
): TmfLambdaHandler {
  const { exposeReadStats, requireTokenScopes, publicBaseUrl } = settings;
  // Undefined for the service routes (health, the description), which neither need scopes nor write.
  const definition = (operations as readonly OperationDefinition[]).find(
    (candidate) => candidate.operationId === operationId,
  );
  const checkScopes = scopeCheck(definition, requireTokenScopes);
  const writeGate = definition?.readOnly === false ? settings.writeGate : undefined;
  const basePath = definition ? basePathOf(definition) : (options.basePath ?? undefined);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(responseMetrics(operationId))
    .use(tmfErrors())
    .handler(async (event, context) => {
      // Long reads stop a little before the function's own limit, to answer instead of timing out.
      checkScopes(event);
      await writeGate?.();
      const deadline = Date.now() + (context.getRemainingTimeInMillis?.() ?? 30_000) - DEADLINE_MARGIN_MS;
      const run = () => operation({ ...readRequest(event, options.body, publicBaseUrl, basePath), deadline });
      return exposeReadStats ? withReadStatsHeaders(run) : run();
    });
}
