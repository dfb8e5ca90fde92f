/**
 * The error catalogue, as data: every `code` a TMF Error body from this API can carry, with its
 * status (and any other status it may come with), its TMF `reason` and when it is answered. The
 * classes below, the gateway's own answers (lib/tmfErrorResponses.ts), the API description's
 * `code` enum and the table in docs/api.md are all built from it; functions/http/chain.ts turns a
 * thrown class into the TMF Error body, in that one place.
 */
export const ERROR_CATALOGUE = {
  INVALID_REQUEST: {
    status: 400,
    also: [431],
    reason: 'Bad Request',
    when: 'the HTTP request cannot be read, or a request API Gateway refuses for a reason not listed here',
  },
  INVALID_BODY: {
    status: 400,
    reason: 'Invalid body',
    when: 'malformed JSON, a body of the wrong shape, a missing mandatory or unknown attribute (each named), a client-supplied id or href',
  },
  INVALID_QUERY: {
    status: 400,
    reason: 'Invalid query parameter',
    when: 'a bad query parameter: unknown attribute or operator, wrong type, bad paging values, an invalid regex, an altered, foreign or expired cursor',
  },
  QUERY_TOO_BROAD: {
    status: 400,
    reason: 'Query too broad',
    when: 'a sort or a very deep offset would read more than the deployment allows in one request (follow next instead)',
  },
  UNAUTHORIZED: { status: 401, reason: 'Unauthorized', when: 'no token, or a forged or expired one' },
  FORBIDDEN: {
    status: 403,
    reason: 'Forbidden',
    when: 'the token lacks the scope the operation needs, or the request was refused by the firewall',
  },
  NOT_FOUND: {
    status: 404,
    reason: 'Resource not found',
    when: 'no customer or subscription with that id, or no such path',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    reason: 'Method not allowed',
    when: 'a method the resource does not serve (see the Allow header)',
  },
  NOT_ACCEPTABLE: { status: 406, reason: 'Not acceptable', when: 'an Accept header that admits no JSON' },
  CONFLICT: {
    status: 409,
    reason: 'Conflict',
    when: 'a JSON Patch test failed, or a write lost the race to other writers 40 times',
  },
  PRECONDITION_FAILED: {
    status: 412,
    reason: 'Precondition failed',
    when: 'If-Match does not name the current version (ETag)',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    reason: 'Payload too large',
    when: 'a body over 1 MiB, or a customer too large for one stored item (400 KB)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    reason: 'Unsupported media type',
    when: 'a Content-Type the operation does not take',
  },
  UNPROCESSABLE_PATCH: {
    status: 422,
    reason: 'Patch cannot be applied',
    when: 'a JSON Patch path that does not exist, or a JSON Patch Query that selects nothing',
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    reason: 'Too many requests',
    when: 'the stage throttled the call (deployed)',
  },
  INTERNAL_ERROR: {
    status: 500,
    reason: 'Internal server error',
    when: 'a defect: the details are logged, never sent',
  },
  BAD_GATEWAY: {
    status: 502,
    reason: 'Bad gateway',
    when: 'the function behind the route failed to answer (deployed)',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    reason: 'Service unavailable',
    when: 'a transient failure of the store, or the request would outlast the time limit: retry after Retry-After seconds; nothing was half-written',
  },
  GATEWAY_TIMEOUT: {
    status: 504,
    reason: 'Gateway timeout',
    when: 'the function took longer than API Gateway waits (deployed)',
  },
} as const satisfies Record<
  string,
  { readonly status: number; readonly also?: readonly number[]; readonly reason: string; readonly when: string }
>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Every failure the API reports is one of these named classes; its status and reason come from the catalogue. */
export abstract class TmfError extends Error {
  abstract readonly code: ErrorCode;
  readonly headers: Record<string, string> = {};
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
  /** Short, stable explanation (TMF `reason`); `message` carries the detail. */
  get reason(): string {
    return ERROR_CATALOGUE[this.code].reason;
  }
}

export class BadRequestError extends TmfError {
  readonly code = 'INVALID_REQUEST';
}

/** The body parsed but does not describe a valid resource; `message` names the attributes. */
export class ValidationError extends TmfError {
  readonly code = 'INVALID_BODY';
}

export class InvalidQueryError extends TmfError {
  readonly code = 'INVALID_QUERY';
}

export class NotFoundError extends TmfError {
  readonly code = 'NOT_FOUND';
}

export class MethodNotAllowedError extends TmfError {
  readonly code = 'METHOD_NOT_ALLOWED';
  constructor(message: string, allowed: readonly string[]) {
    super(message);
    this.headers.Allow = allowed.join(', ');
  }
}

export class NotAcceptableError extends TmfError {
  readonly code = 'NOT_ACCEPTABLE';
}

export class ConflictError extends TmfError {
  readonly code = 'CONFLICT';
}

export class PayloadTooLargeError extends TmfError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends TmfError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class InternalError extends TmfError {
  readonly code = 'INTERNAL_ERROR';
}

/** A query whose filter no index narrows would read more than this deployment allows per request. */
export class QueryTooBroadError extends TmfError {
  readonly code = 'QUERY_TOO_BROAD';
}

export class PreconditionFailedError extends TmfError {
  readonly code = 'PRECONDITION_FAILED';
}

/** The patch is well-formed but cannot be applied to this customer (a missing path, for one). */
export class UnprocessableError extends TmfError {
  readonly code = 'UNPROCESSABLE_PATCH';
}

/** The realm 401 answers name in WWW-Authenticate, locally and at the deployed gateway. */
export const AUTH_REALM = 'tmf629';

/** RFC 6750 §3: a 401 names the scheme; `invalid_token` when a token was sent but not accepted. */
export class UnauthorizedError extends TmfError {
  readonly code = 'UNAUTHORIZED';
  constructor(message: string, tokenSent = false) {
    super(message);
    this.headers['WWW-Authenticate'] =
      `Bearer realm="${AUTH_REALM}"${tokenSent ? `, error="invalid_token", error_description="${message.replace(/"/g, "'")}"` : ''}`;
  }
}

export class ForbiddenError extends TmfError {
  readonly code = 'FORBIDDEN';
}

/**
 * A transient failure: the store is busy or unreachable, or the request could not finish in
 * time. The client should retry after `Retry-After` seconds; nothing was half-written.
 */
export class ServiceUnavailableError extends TmfError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message: string, retryAfterSeconds = 1) {
    super(message);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

/**
 * The catalogue as the API description, the docs and the tests list it: each code with every
 * status it may come with, and when.
 */
export const TMF_ERROR_CODES: readonly { code: ErrorCode; status: readonly number[]; when: string }[] = (
  Object.entries(ERROR_CATALOGUE) as [ErrorCode, (typeof ERROR_CATALOGUE)[ErrorCode]][]
).map(([code, entry]) => ({
  code,
  status: [entry.status, ...('also' in entry ? entry.also : [])],
  when: entry.when,
}));
