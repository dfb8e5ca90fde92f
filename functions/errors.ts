/**
 * Every failure the API reports is one of these named classes. Each carries the HTTP status it
 * maps to; functions/http/chain.ts turns them into TMF Error bodies, in that one place.
 */
export abstract class TmfError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Short, stable explanation (TMF `reason`); `message` carries the detail. */
  abstract readonly reason: string;
  readonly headers: Record<string, string> = {};
}

export class BadRequestError extends TmfError {
  readonly status = 400;
  readonly code = 'INVALID_REQUEST';
  readonly reason = 'Bad Request';
}

/** The body parsed but does not describe a valid resource; `message` names the attributes. */
export class ValidationError extends TmfError {
  readonly status = 400;
  readonly code = 'INVALID_BODY';
  readonly reason = 'Invalid body';
}

export class InvalidQueryError extends TmfError {
  readonly status = 400;
  readonly code = 'INVALID_QUERY';
  readonly reason = 'Invalid query parameter';
}

export class NotFoundError extends TmfError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  readonly reason = 'Resource not found';
}

export class MethodNotAllowedError extends TmfError {
  readonly status = 405;
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly reason = 'Method not allowed';
  constructor(message: string, allowed: readonly string[]) {
    super(message);
    this.headers.Allow = allowed.join(', ');
  }
}

export class NotAcceptableError extends TmfError {
  readonly status = 406;
  readonly code = 'NOT_ACCEPTABLE';
  readonly reason = 'Not acceptable';
}

export class ConflictError extends TmfError {
  readonly status = 409;
  readonly code = 'CONFLICT';
  readonly reason = 'Conflict';
}

export class PayloadTooLargeError extends TmfError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly reason = 'Payload too large';
}

export class UnsupportedMediaTypeError extends TmfError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly reason = 'Unsupported media type';
}

export class InternalError extends TmfError {
  readonly status = 500;
  readonly code = 'INTERNAL_ERROR';
  readonly reason = 'Internal server error';
}

/** A query whose filter no index narrows would read more than this deployment allows per request. */
export class QueryTooBroadError extends TmfError {
  readonly status = 400;
  readonly code = 'QUERY_TOO_BROAD';
  readonly reason = 'Query too broad';
}

export class PreconditionFailedError extends TmfError {
  readonly status = 412;
  readonly code = 'PRECONDITION_FAILED';
  readonly reason = 'Precondition failed';
}

/** The patch is well-formed but cannot be applied to this customer (a missing path, for one). */
export class UnprocessableError extends TmfError {
  readonly status = 422;
  readonly code = 'UNPROCESSABLE_PATCH';
  readonly reason = 'Patch cannot be applied';
}

/** The realm 401 answers name in WWW-Authenticate, locally and at the deployed gateway. */
export const AUTH_REALM = 'tmf629';

/** RFC 6750 §3: a 401 names the scheme; `invalid_token` when a token was sent but not accepted. */
export class UnauthorizedError extends TmfError {
  readonly status = 401;
  readonly code = 'UNAUTHORIZED';
  readonly reason = 'Unauthorized';
  constructor(message: string, tokenSent = false) {
    super(message);
    this.headers['WWW-Authenticate'] =
      `Bearer realm="${AUTH_REALM}"${tokenSent ? `, error="invalid_token", error_description="${message.replace(/"/g, "'")}"` : ''}`;
  }
}

export class ForbiddenError extends TmfError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
  readonly reason = 'Forbidden';
}

/**
 * A transient failure: the store is busy or unreachable, or the request could not finish in
 * time. The client should retry after `Retry-After` seconds; nothing was half-written.
 */
export class ServiceUnavailableError extends TmfError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly reason = 'Service unavailable';
  constructor(message: string, retryAfterSeconds = 1) {
    super(message);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

/**
 * Every `code` a TMF Error body from this API can carry, with its statuses and when. The API
 * description (openapi.json, swagger.json) and the README's table are checked against it.
 */
export const TMF_ERROR_CODES: readonly { code: string; status: readonly number[]; when: string }[] = [
  {
    code: 'INVALID_REQUEST',
    status: [400, 431],
    when: 'the HTTP request cannot be read, or a request API Gateway refuses for a reason not listed here',
  },
  {
    code: 'INVALID_BODY',
    status: [400],
    when: 'malformed JSON, a body of the wrong shape, a missing mandatory or unknown attribute (each named), a client-supplied id or href',
  },
  {
    code: 'INVALID_QUERY',
    status: [400],
    when: 'a bad query parameter: unknown attribute or operator, wrong type, bad paging values, an invalid regex, an altered, foreign or expired cursor',
  },
  {
    code: 'QUERY_TOO_BROAD',
    status: [400],
    when: 'a sort or a very deep offset would read more than the deployment allows in one request (follow next instead)',
  },
  { code: 'UNAUTHORIZED', status: [401], when: 'no token, or a forged or expired one' },
  {
    code: 'FORBIDDEN',
    status: [403],
    when: 'the token lacks the scope the operation needs, or the request was refused by the firewall',
  },
  { code: 'NOT_FOUND', status: [404], when: 'no customer or subscription with that id, or no such path' },
  { code: 'METHOD_NOT_ALLOWED', status: [405], when: 'a method the resource does not serve (see the Allow header)' },
  { code: 'NOT_ACCEPTABLE', status: [406], when: 'an Accept header that admits no JSON' },
  {
    code: 'CONFLICT',
    status: [409],
    when: 'a JSON Patch test failed, or a write lost the race to other writers 40 times',
  },
  { code: 'PRECONDITION_FAILED', status: [412], when: 'If-Match does not name the current version (ETag)' },
  {
    code: 'PAYLOAD_TOO_LARGE',
    status: [413],
    when: 'a body over 1 MiB, or a customer too large for one stored item (400 KB)',
  },
  { code: 'UNSUPPORTED_MEDIA_TYPE', status: [415], when: 'a Content-Type the operation does not take' },
  {
    code: 'UNPROCESSABLE_PATCH',
    status: [422],
    when: 'a JSON Patch path that does not exist, or a JSON Patch Query that selects nothing',
  },
  {
    code: 'TOO_MANY_REQUESTS',
    status: [429],
    when: 'the stage throttled the call (deployed)',
  },
  { code: 'INTERNAL_ERROR', status: [500], when: 'a defect: the details are logged, never sent' },
  { code: 'BAD_GATEWAY', status: [502], when: 'the function behind the route failed to answer (deployed)' },
  {
    code: 'SERVICE_UNAVAILABLE',
    status: [503],
    when: 'a transient failure of the store, or the request would outlast the time limit: retry after Retry-After seconds; nothing was half-written',
  },
  { code: 'GATEWAY_TIMEOUT', status: [504], when: 'the function took longer than API Gateway waits (deployed)' },
];
