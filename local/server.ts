/**
 * The local API: a small HTTP adapter that turns each request into the API Gateway REST (v1)
 * proxy event the deployed API would send, invokes the same handler module the Lambda runs, and
 * writes its result back. Routing, 404 and 405 follow the operation list the CDK stack deploys.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  accessOf,
  API_BASE_PATHS,
  basePathOf,
  methodsServed,
  operations,
  scopeOf,
  serviceRoutes,
  type OperationDefinition,
} from '../functions/operations.js';
import {
  ForbiddenError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  type TmfError,
} from '../functions/errors.js';
import { API_BASE_PATH, dictionary } from '../functions/http/request.js';
import { JSON_CONTENT_TYPE, errorResponse, json, tmfErrorBody } from '../functions/http/response.js';
import type { TmfLambdaHandler } from '../functions/http/chain.js';
import type { LambdaEntry, Runtime } from '../functions/handlers/runtime.js';
import type { Authorize, TokenAnswer } from './auth.js';
import { MAX_REQUEST_BYTES, lambdaContext, readBody, send, toEvent } from './lambdaEvents.js';
import { REFERENCE_ASSETS } from '../functions/apiDescription/referenceAssets.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What a client is told to wait while the engine restarts. */
const ENGINE_RETRY_AFTER_SECONDS = 2;

interface Route {
  readonly resource: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  readonly methods: Map<string, { operation: OperationDefinition; handler: TmfLambdaHandler }>;
}

async function loadRoutes(runtime: Runtime): Promise<Route[]> {
  const routes = new Map<string, Route>();
  for (const operation of operations as readonly OperationDefinition[]) {
    // Each version's operations under its own base path (v4 and v5 over the same customers).
    const resource = `${basePathOf(operation)}${operation.path}`;
    let route = routes.get(resource);
    if (!route) {
      const parameterNames = [...resource.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
      const pattern = new RegExp(`^${resource.replace(/\{\w+\}/g, '([^/]+)')}$`);
      route = { resource, pattern, parameterNames, methods: new Map() };
      routes.set(resource, route);
    }
    route.methods.set(operation.method, { operation, handler: await handlerOf(operation.entry, runtime) });
  }
  return [...routes.values()];
}

/**
 * HEAD is GET without the body (RFC 9110 §9.3.2): the same handler answers, and Node's response
 * sends the headers only, Content-Length included, for a HEAD request.
 */
const asGet = (method: string | undefined): string => (method === 'HEAD' ? 'GET' : (method ?? 'GET'));

/** The 405 for anything but GET (and HEAD) on a route only read, such as /health; undefined for a read. */
const unlessRead = (method: string | undefined, what: string): MethodNotAllowedError | undefined =>
  asGet(method) === 'GET' ? undefined : new MethodNotAllowedError(`GET ${what} only`, methodsServed('GET'));

export interface LocalApiOptions {
  /** What the handlers work with: the local configuration, the engine's client and the stores. */
  readonly runtime: Runtime;
  /** Scope checks as API Gateway makes them in the deployed stack; none by default. */
  readonly authorize?: Authorize;
  /** GET /local/dead-letters: notifications that exhausted their retries (local only). */
  readonly deadLetters?: () => Promise<unknown[]>;
  /** False while the engine is being restarted: every request then answers 503 at once. */
  readonly storeAvailable?: () => boolean;
  /** POST /oauth2/token: the client-credentials grant (LOCAL_AUTH). */
  readonly issueToken?: (authorization: string | undefined, form: URLSearchParams) => Promise<TokenAnswer>;
}

/**
 * Requests Node cannot even parse (oversized headers, malformed HTTP) never reach a handler; they
 * still get a TMF Error body, as every 4xx does.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request header fields too large'] : [400, 'Bad Request'];
  const body = JSON.stringify(
    tmfErrorBody({ code: 'INVALID_REQUEST', reason, message: 'The HTTP request could not be read', status }),
  );
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The entry's handler, built against the local runtime (the same module the Lambda runs). */
async function handlerOf(entry: string, runtime: Runtime): Promise<TmfLambdaHandler> {
  const module = (await import(pathToFileURL(resolve(repositoryRoot, entry)).href)) as {
    handler: LambdaEntry<Parameters<TmfLambdaHandler>[0], Awaited<ReturnType<TmfLambdaHandler>>>;
  };
  return module.handler.with(runtime);
}

/** Routes outside the TMF629 operations, served by their own handler as in the stack. */
function fixedRoute(resource: string): Route {
  return { resource, pattern: new RegExp(`^${resource}$`), parameterNames: [], methods: new Map() };
}

/** {base}/docs and its assets: the API reference page, as the stack serves it from S3. */
async function referenceAsset(path: string): Promise<APIGatewayProxyResult | undefined> {
  const docs = `${API_BASE_PATH}${serviceRoutes.reference.path}`;
  const name = path === docs ? 'index.html' : path.slice(`${docs}/`.length);
  const asset = REFERENCE_ASSETS.find((candidate) => candidate.name === name);
  if (!asset) return undefined;
  return {
    statusCode: 200,
    headers: { 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache' },
    body: await readFile(asset.file, 'utf8'),
  };
}

export async function createLocalApi(options: LocalApiOptions): Promise<Server> {
  const routes = await loadRoutes(options.runtime);
  const health = await handlerOf(serviceRoutes.health.entry, options.runtime);
  const describeApi = await handlerOf(serviceRoutes.description.entry, options.runtime);
  const healthPath = serviceRoutes.health.path;
  const docsPath = serviceRoutes.reference.path;
  const descriptionFiles = new Set<string>(serviceRoutes.description.files.map(({ file }) => `/${file}`));
  const storeAway = () =>
    new ServiceUnavailableError('The service is restarting its store; retry shortly', ENGINE_RETRY_AFTER_SECONDS);
  const server = createServer((request, response) => {
    const requestId = randomUUID();
    const fail = (error: TmfError) => send(response, errorResponse(error));
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://local');
      const body = await readBody(request);
      if (body === undefined)
        return fail(new PayloadTooLargeError(`Requests are limited to ${MAX_REQUEST_BYTES} bytes`));
      if (url.pathname === '/local/dead-letters' && request.method === 'GET' && options.deadLetters) {
        // Dead letters hold customer documents: under LOCAL_AUTH, a token that may read customers and the hub.
        if (options.authorize) {
          try {
            const granted = await options.authorize(request.headers.authorization, scopeOf('hub'));
            if (!granted.includes(scopeOf('read')))
              throw new ForbiddenError(`Dead letters need the scope ${scopeOf('read')} too`);
          } catch (error) {
            return fail(error as TmfError);
          }
        }
        return send(response, json(200, await options.deadLetters()));
      }
      if (url.pathname === '/oauth2/token' && options.issueToken) {
        if (request.method !== 'POST') return fail(new MethodNotAllowedError('POST /oauth2/token only', ['POST']));
        const answer = await options.issueToken(
          request.headers.authorization,
          new URLSearchParams(body.toString('utf8')),
        );
        return send(response, json(answer.status, answer.body, { 'Cache-Control': 'no-store' }));
      }
      const storeUp = options.storeAvailable?.() ?? true;
      if (url.pathname === healthPath) {
        const refused = unlessRead(request.method, healthPath);
        if (refused) return fail(refused);
        if (!storeUp) return fail(storeAway());
        const event = toEvent(request, url, fixedRoute(healthPath), dictionary(), body, requestId);
        return send(response, await health(event, lambdaContext(serviceRoutes.health.operationId, requestId)));
      }
      const path = url.pathname.startsWith(`${API_BASE_PATH}/`) ? url.pathname.slice(API_BASE_PATH.length) : undefined;
      // The API's description and reference page: readable without a token, as deployed by default.
      if (path !== undefined && descriptionFiles.has(path)) {
        const refused = unlessRead(request.method, url.pathname);
        if (refused) return fail(refused);
        const event = toEvent(request, url, fixedRoute(path), dictionary(), body, requestId);
        return send(response, await describeApi(event, lambdaContext('describeApi', requestId)));
      }
      if (url.pathname === `${API_BASE_PATHS.v5}/openapi.json`) {
        const refused = unlessRead(request.method, url.pathname);
        if (refused) return fail(refused);
        const event = toEvent(request, url, fixedRoute(url.pathname), dictionary(), body, requestId);
        return send(response, await describeApi(event, lambdaContext('describeApiV5', requestId)));
      }
      if (path === `${docsPath}/`) {
        response.writeHead(301, { Location: `${API_BASE_PATH}${docsPath}`, 'Content-Length': '0' });
        return response.end();
      }
      if (path === docsPath || path?.startsWith(`${docsPath}/`)) {
        const refused = unlessRead(request.method, url.pathname);
        if (refused) return fail(refused);
        const asset = await referenceAsset(url.pathname);
        if (asset) return send(response, asset);
        return fail(new NotFoundError(`No resource at ${url.pathname.slice(0, 256)}`));
      }
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        const method = request.method ?? 'GET';
        const target = route.methods.get(asGet(method));
        let grantedScopes: readonly string[] | undefined;
        if (options.authorize) {
          // As in the deployed stack, other methods on a resource need read access to learn it is a 405.
          const required = scopeOf(target ? accessOf(target.operation) : 'read');
          try {
            grantedScopes = await options.authorize(request.headers.authorization, required);
          } catch (error) {
            return fail(error as TmfError);
          }
        }
        if (!target) {
          return fail(
            new MethodNotAllowedError(
              `${method} is not supported on ${route.resource}`,
              [...route.methods.keys()].flatMap(methodsServed),
            ),
          );
        }
        const pathParameters: Record<string, string> = dictionary();
        try {
          route.parameterNames.forEach((name, i) => (pathParameters[name] = decodeURIComponent(match[i + 1] ?? '')));
        } catch {
          return fail(new NotFoundError(`No resource at ${url.pathname.slice(0, 256)}`));
        }
        if (!storeUp) return fail(storeAway());
        const event = toEvent(request, url, route, pathParameters, body, requestId, grantedScopes);
        const result = await target.handler(event, lambdaContext(target.operation.operationId, requestId));
        return send(response, result);
      }
      return fail(new NotFoundError(`No resource at ${url.pathname.slice(0, 256)}`));
    })().catch((error: unknown) => {
      console.error('local adapter failure', error);
      if (!response.headersSent) {
        send(response, errorResponse(new InternalError('The request could not be completed')));
      }
    });
  });
  server.on('clientError', answerClientError);
  return server;
}
