/**
 * Reading an API Gateway REST (v1) proxy event into what an operation needs: lower-cased headers,
 * query parameters with all their values, a JSON body checked for media type, size and shape, and
 * the base URL the client used.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { config } from '../config.js';
import { NotAcceptableError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';

export const API_BASE_PATH = '/tmf-api/customerManagement/v4';

/**
 * A record without a prototype: names from the request (`__proto__`, `constructor`) are plain
 * keys in it, never Object.prototype's members.
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Bodies above this are refused before parsing; no customer can be this large anyway. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper nesting than any TMF resource needs is refused before it can exhaust a recursion. */
export const MAX_JSON_DEPTH = 64;

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
export function baseUrlOf(event: APIGatewayProxyEvent, headers: Record<string, string>): string {
  const configured = config().publicBaseUrl;
  if (configured) return configured;
  const context = event.requestContext;
  const host = headers.host && HOST.test(headers.host) ? headers.host : context?.domainName;
  const proto = headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  // The default execute-api hostname addresses a stage by path; a custom domain maps it away.
  const stagePath = host?.includes('.execute-api.') && context?.stage ? `/${context.stage}` : '';
  return `${proto}://${host ?? 'localhost'}${stagePath}${API_BASE_PATH}`;
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

/**
 * One pass over JSON text, before it is parsed: how deep it nests, and the first integer literal
 * (digits without fraction or exponent) that a double cannot hold exactly, which JSON.parse would
 * silently round (9007199254740993 becomes ...992).
 */
/** A JSON number token, matched where the scan stands (sticky: no copy of the text per number). */
const NUMBER_TOKEN = /-?\d+(\.\d*)?([eE][-+]?\d*)?/y;

function scanJson(text: string): { depth: number; inexactInteger?: string } {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) max = Math.max(max, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
    else if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = i;
      const literal = NUMBER_TOKEN.exec(text)?.[0] ?? '-';
      // 16 digits and more may not be exact; shorter ones always are.
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal)))
        return { depth: max, inexactInteger: literal.slice(0, 40) };
      i += literal.length - 1;
    }
  }
  return { depth: max };
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

/** Where a reviver stands, for messages: the key, or `[i]` for an array element. */
const located = (key: string, holder: unknown) => (Array.isArray(holder) ? `[${key}]` : key || 'the document');

/**
 * Parses untrusted JSON (a request body, a line of a bulk import, a JSON cell of a CSV): at most
 * MAX_JSON_DEPTH levels, no `__proto__` key, only finite numbers (integers within ±2^53), and
 * only well-formed Unicode (no lone surrogate such as `\ud800`, which no UTF-8 consumer of an
 * export can read). Everything every door stores passes here, so hostile input is a 400 at the
 * door, never a crash, a polluted prototype or a value stored other than it was sent.
 */
export function parseJsonText(text: string, what: string): unknown {
  const scanned = scanJson(text);
  if (scanned.depth > MAX_JSON_DEPTH) {
    throw new ValidationError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (scanned.inexactInteger !== undefined) {
    throw new ValidationError(
      `${what} has the integer ${scanned.inexactInteger}, beyond ±${Number.MAX_SAFE_INTEGER} (2^53 - 1): it cannot be kept exactly; send it as a string`,
    );
  }
  // RFC 8259 forbids sending one; refused by name rather than as a bare "unexpected token".
  if (text.charCodeAt(0) === 0xfeff)
    throw new ValidationError(`${what} starts with a byte order mark (U+FEFF); send JSON without one`);
  try {
    return JSON.parse(text, function (this: unknown, key, value: unknown) {
      if (key === '__proto__') throw new ValidationError(`${what} may not contain a "__proto__" attribute`);
      if (!key.isWellFormed())
        throw new ValidationError(`${what} has an attribute name that is not well-formed Unicode (a lone surrogate)`);
      // JSON.parse reads 1e400 as Infinity, which would be stored as null and never validate again.
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new ValidationError(`${what}: ${located(key, this)} is a number beyond the range of a double (±1.8e308)`);
      } else if (typeof value === 'string' && !value.isWellFormed()) {
        throw new ValidationError(`${what}: ${located(key, this)} is not well-formed Unicode (a lone surrogate)`);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`${what} is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}

export function readRequest(event: APIGatewayProxyEvent, body: BodyOptions | undefined): TmfRequest {
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
    baseUrl: baseUrlOf(event, headers),
    resource: event.resource ?? '',
  };
}
