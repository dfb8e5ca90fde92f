/**
 * The error catalogue, as data: every `code` a TMF Error body from this API can carry, with its
 * status (and any other status it may come with) and its TMF `reason`; when each is answered is in
 * errorCatalogue.ts (TypeScript makes it name every code), kept apart so the functions do not carry
 * the documentation text. The classes below, the gateway's own answers (lib/tmfErrorResponses.ts),
 * the API description's `code` enum and the table in docs/api.md are all built from it;
 * functions/http/chain.ts turns a thrown class into the TMF Error body, in that one place.
 */
export const ERROR_CATALOGUE = {
  INVALID_REQUEST: { status: 400, also: [431], reason: 'Bad Request' },
  INVALID_BODY: { status: 400, reason: 'Invalid body' },
  INVALID_QUERY: { status: 400, reason: 'Invalid query parameter' },
  QUERY_TOO_BROAD: { status: 400, reason: 'Query too broad' },
  UNAUTHORIZED: { status: 401, reason: 'Unauthorized' },
  FORBIDDEN: {
    status: 403,
    reason: 'Forbidden',
  },
  NOT_FOUND: { status: 404, reason: 'Resource not found' },
  METHOD_NOT_ALLOWED: { status: 405, reason: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, reason: 'Not acceptable' },
  CONFLICT: {
    status: 409,
    reason: 'Conflict',
  },
  PRECONDITION_FAILED: { status: 412, reason: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: { status: 413, reason: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, reason: 'Unsupported media type' },
  UNPROCESSABLE_PATCH: { status: 422, reason: 'Patch cannot be applied' },
  TOO_MANY_REQUESTS: { status: 429, reason: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, reason: 'Internal server error' },
  BAD_GATEWAY: { status: 502, reason: 'Bad gateway' },
  SERVICE_UNAVAILABLE: { status: 503, reason: 'Service unavailable' },
  GATEWAY_TIMEOUT: { status: 504, reason: 'Gateway timeout' },
} as const satisfies Record<
  string,
  { readonly status: number; readonly also?: readonly number[]; readonly reason: string }
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
