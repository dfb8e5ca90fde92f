/** Building API Gateway proxy results: JSON bodies, TMF Error bodies and list pages. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { TmfError } from '../errors.js';
import type { Error as TmfErrorResource } from '../generated/tmf629.js';

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';
/** Lambda answers at most 6 MB through API Gateway; a list page stops short of that. */
export const MAX_PAGE_BODY_BYTES = 5 * 1024 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: {}, body: '' };
}

/** The TMF Error resource (as the swagger defines it), with @type and status always set. */
export type TmfErrorBody = TmfErrorResource & Required<Pick<TmfErrorResource, '@type' | 'message' | 'status'>>;

export function tmfErrorBody(error: Pick<TmfError, 'code' | 'reason' | 'message' | 'status'>): TmfErrorBody {
  return {
    '@type': 'Error',
    code: error.code,
    reason: error.reason,
    message: error.message,
    status: String(error.status),
  };
}

export function errorResponse(error: TmfError): APIGatewayProxyResult {
  return json(error.status, tmfErrorBody(error), error.headers);
}

export interface PageOf<T> {
  readonly items: readonly T[];
  /** Every match of the query; undefined when the answer could not count them (then no X-Total-Count). */
  readonly totalCount: number | undefined;
  readonly offset: number;
  readonly limit: number;
  /** The cursor of the page after the first `held` items, or undefined when nothing follows them. */
  readonly nextCursor?: (held: number) => string | undefined;
}

/** Where a page was asked for: the collection URL and the query, to build the Link header from. */
export interface PageRequest {
  readonly url: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
}

/**
 * RFC 8288 Link header with first, prev, next and last pages of the same query. `next` carries
 * the cursor that resumes after this page (so following it costs one page at any depth); `last`
 * is there when the total is known.
 */
export function pageLinks(
  request: PageRequest,
  offset: number,
  limit: number,
  held: number,
  totalCount: number | undefined,
  cursors?: { readonly nextCursor: string | undefined },
): string | undefined {
  const nextCursor = cursors?.nextCursor;
  if (limit === 0) return undefined;
  const at = (pageOffset: number, rel: string, cursor?: string) => {
    const params = new URLSearchParams();
    for (const [name, values] of Object.entries(request.query)) {
      if (name === 'offset' || name === 'limit' || name === 'cursor') continue;
      for (const value of values) params.append(name, value);
    }
    params.set('offset', String(pageOffset));
    params.set('limit', String(limit));
    if (cursor) params.set('cursor', cursor);
    return `<${request.url}?${params.toString()}>; rel="${rel}"`;
  };
  const links = [at(0, 'first')];
  if (offset > 0) links.push(at(Math.max(0, offset - limit), 'prev'));
  // With cursors, the list knows whether anything follows (the total may count customers created
  // before the walk's position); without, the total says.
  const hasNext = cursors ? nextCursor !== undefined : totalCount !== undefined && offset + held < totalCount;
  if (hasNext) links.push(at(offset + Math.max(held, 1), 'next', nextCursor));
  if (totalCount !== undefined) {
    links.push(at(Math.max(0, Math.floor((Math.max(totalCount, 1) - 1) / limit) * limit), 'last'));
  }
  return links.join(', ');
}

/**
 * A list answer: 200 when the body holds every match and 206 when it holds part of them, with
 * X-Total-Count (when known), X-Result-Count and Link. Items past the response size budget are
 * left for the next page (X-Result-Count says how many the body holds; Link's next starts after
 * them).
 */
export function page<T>(result: PageOf<T>, request: PageRequest): APIGatewayProxyResult {
  const parts: string[] = [];
  let bytes = 2;
  for (const item of result.items) {
    const text = JSON.stringify(item);
    bytes += Buffer.byteLength(text, 'utf8') + 1;
    if (bytes > MAX_PAGE_BODY_BYTES && parts.length > 0) break;
    parts.push(text);
  }
  const headers: Record<string, string> = {
    'Content-Type': JSON_CONTENT_TYPE,
    'X-Result-Count': String(parts.length),
  };
  if (result.totalCount !== undefined) headers['X-Total-Count'] = String(result.totalCount);
  const nextCursor = result.limit > 0 ? result.nextCursor?.(parts.length) : undefined;
  const link = pageLinks(
    request,
    result.offset,
    result.limit,
    parts.length,
    result.totalCount,
    result.nextCursor ? { nextCursor } : undefined,
  );
  if (link) headers.Link = link;
  const partial =
    result.totalCount === undefined ? nextCursor !== undefined || result.offset > 0 : parts.length < result.totalCount;
  return { statusCode: partial ? 206 : 200, headers, body: `[${parts.join(',')}]` };
}
