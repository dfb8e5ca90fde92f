/**
 * Which storage failures are transient: the client should retry later (503 with Retry-After),
 * not be told the request failed for good (500). Everything else from the store is a defect.
 */

/** DynamoDB error names that say "not now": capacity, contention, or the service itself. */
const TRANSIENT_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'ReplicatedWriteConflictException',
  // The SDK's own: a request or connection that timed out, or a socket that failed.
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);

/** Node's socket errors: the engine is unreachable, went away, or stalled. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Transaction cancellation reasons that are contention, not a failed condition. */
const TRANSIENT_CANCELLATIONS = new Set(['TransactionConflict', 'ThrottlingError']);

export function isTransientStorageError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name } = error;
  const code = (error as { code?: unknown }).code;
  if (TRANSIENT_ERRORS.has(name) || (typeof code === 'string' && NETWORK_CODES.has(code))) return true;
  // A 5xx from the service that the SDK did not name.
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500 && (error as { $fault?: string }).$fault === 'server') return true;
  if (name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const codes = reasons.map((reason) => reason.Code).filter((c) => c && c !== 'None');
    return codes.length > 0 && codes.every((c) => TRANSIENT_CANCELLATIONS.has(c as string));
  }
  if (/socket hang up|ECONNRESET|ECONNREFUSED|other side closed/i.test(error.message)) return true;
  // Wrapped causes (undici and the SDK nest the socket error).
  return error.cause !== undefined && error.cause !== error && isTransientStorageError(error.cause);
}
