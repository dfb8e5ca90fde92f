/** Building API Gateway proxy results: JSON bodies, TMF Error bodies and list pages. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { TmfError } from '../errors.js';

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

export function tmfErrorBody(error: Pick<TmfError, 'code' | 'reason' | 'message' | 'status'>) {
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
  readonly totalCount: number;
}

/**
 * A list answer: 200 when the body holds every match, 206 when it holds part of them, with
 * X-Total-Count and X-Result-Count. Items past the response size budget are left for the next
 * page (X-Result-Count says how many the body holds).
 */
export function page<T>(result: PageOf<T>): APIGatewayProxyResult {
  const parts: string[] = [];
  let bytes = 2;
  for (const item of result.items) {
    const text = JSON.stringify(item);
    bytes += Buffer.byteLength(text, 'utf8') + 1;
    if (bytes > MAX_PAGE_BODY_BYTES && parts.length > 0) break;
    parts.push(text);
  }
  return {
    statusCode: parts.length < result.totalCount ? 206 : 200,
    headers: {
      'Content-Type': JSON_CONTENT_TYPE,
      'X-Total-Count': String(result.totalCount),
      'X-Result-Count': String(parts.length),
    },
    body: `[${parts.join(',')}]`,
  };
}
