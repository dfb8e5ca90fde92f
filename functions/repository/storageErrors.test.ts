import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isTransientStorageError } from './storageErrors.js';

const meta = { $metadata: {}, message: 'x' };
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ ...meta, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('isTransientStorageError', () => {
  it.each([
    ['throttling', new ThrottlingException(meta)],
    ['provisioned throughput', new ProvisionedThroughputExceededException(meta)],
    ['request limit', new RequestLimitExceeded(meta)],
    ['internal server error', new InternalServerError(meta)],
    ['transaction conflict', new TransactionConflictException(meta)],
    ['cancelled by contention', cancelled('None', 'TransactionConflict')],
    ['cancelled by throttling', cancelled('ThrottlingError')],
    ['connection refused', socketError('ECONNREFUSED')],
    ['connection reset', socketError('ECONNRESET')],
    ['connection timed out', socketError('ETIMEDOUT')],
    ['socket hang up', new Error('socket hang up')],
    ['a request timeout from the SDK', Object.assign(new Error('Request did not complete'), { name: 'TimeoutError' })],
    ['a socket error as a cause', new Error('fetch failed', { cause: socketError('ECONNRESET') })],
    [
      'an unnamed 5xx from the service',
      Object.assign(new Error('oops'), { name: 'UnknownError', $fault: 'server', $metadata: { httpStatusCode: 502 } }),
    ],
  ])('treats %s as transient (503)', (_, error) => {
    expect(isTransientStorageError(error)).toBe(true);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException(meta)],
    ['a transaction cancelled by a condition', cancelled('ConditionalCheckFailed', 'None')],
    [
      'a validation error (a defect)',
      Object.assign(new Error('bad'), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    ['a missing table (a defect of deployment)', new ResourceNotFoundException(meta)],
    ['a type error', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('treats %s as permanent', (_, error) => {
    expect(isTransientStorageError(error)).toBe(false);
  });
});
