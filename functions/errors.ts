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

export class UnauthorizedError extends TmfError {
  readonly status = 401;
  readonly code = 'UNAUTHORIZED';
  readonly reason = 'Unauthorized';
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
