/**
 * Reading an API Gateway REST (v1) proxy event into what an operation needs: lower-cased headers,
 * query parameters with all their values, a JSON body checked for media type, size and shape, and
 * the base URL the client used.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { NotAcceptableError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { MAX_BODY_BYTES, parseJsonText } from '../domain/untrustedJson.js';

export const API_BASE_PATH = '/tmf-api/customerManagement/v4';

/**
 * A record without a prototype: names from the request (`__proto__`, `constructor`) are plain
 * keys in it, never Object.prototype's members.
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export interface TmfRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** The parsed body, for operations that take one. */
  readonly body: unknown;
  /** The body's media type, lower-cased, without parameters. */
  readonly mediaType: string | undefined;
  /** Absolute URL of the API base path as the client addresses it. */
  readonly baseUrl: string;
  /** The resource the route serves, API Gateway style (`/tmf-api/customerManagement/v4/customer/{id}`). */
  readonly resource: string;
}

export interface BodyOptions {
  /** Media types the operation accepts; any other Content-Type is a 415. */
  readonly mediaTypes: readonly string[];
}

function lowerCaseHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const headers: Record<string, string> = dictionary();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
}

function queryOf(event: APIGatewayProxyEvent): Record<string, string[]> {
  const query: Record<string, string[]> = dictionary();
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) {
    if (values) query[name] = [...values];
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (!(name in query) && typeof value === 'string') query[name] = [value];
  }
  return query;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The configured public URL, else scheme, host and stage as the client used them. */
export function baseUrlOf(
  event: APIGatewayProxyEvent,
  headers: Record<string, string>,
  configured?: string,
  basePath: string = API_BASE_PATH,
): string {
  // The configured URL names the v4 base path; another version's is beside it.
  if (configured)
    return basePath === API_BASE_PATH ? configured : `${configured.replace(/\/tmf-api\/.*$/, '')}${basePath}`;
  const context = event.requestContext;
  const host = headers.host && HOST.test(headers.host) ? headers.host : context?.domainName;
  const proto = headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  // The default execute-api hostname addresses a stage by path; a custom domain maps it away.
  const stagePath = host?.includes('.execute-api.') && context?.stage ? `/${context.stage}` : '';
  return `${proto}://${host ?? 'localhost'}${stagePath}${basePath}`;
}

function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** A client that only takes something other than JSON cannot be answered. */
export function assertAcceptsJson(accept: string | undefined): void {
  if (!accept) return;
  const ranges = accept.split(',').map((range) => range.split(';')[0]?.trim().toLowerCase());
  const acceptable = ranges.some(
    (range) =>
      range === '*/*' || range === 'application/*' || range === 'application/json' || !!range?.endsWith('+json'),
  );
  if (!acceptable)
    throw new NotAcceptableError(`This API answers application/json; Accept was "${accept.slice(0, 128)}"`);
}

export function parseJsonBody(
  event: APIGatewayProxyEvent,
  mediaType: string | undefined,
  options: BodyOptions,
): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (!mediaType || !options.mediaTypes.includes(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be one of ${options.mediaTypes.join(', ')}; got ${mediaType ? `"${mediaType.slice(0, 128)}"` : 'none'}`,
    );
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (text.trim() === '') throw new ValidationError('The body is empty; a JSON document is expected');
  return parseJsonText(text, 'The body');
}

export function readRequest(
  event: APIGatewayProxyEvent,
  body: BodyOptions | undefined,
  publicBaseUrl?: string,
  basePath?: string,
): TmfRequest {
  const headers = lowerCaseHeaders(event);
  assertAcceptsJson(headers.accept);
  const mediaType = mediaTypeOf(headers['content-type']);
  const pathParameters: Record<string, string> = dictionary();
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (typeof value === 'string') pathParameters[name] = value;
  }
  return {
    headers,
    pathParameters,
    query: queryOf(event),
    body: body ? parseJsonBody(event, mediaType, body) : undefined,
    mediaType,
    baseUrl: baseUrlOf(event, headers, publicBaseUrl, basePath),
    resource: event.resource ?? '',
  };
}
