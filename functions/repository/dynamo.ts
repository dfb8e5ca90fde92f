/** One DynamoDB document client per process, created at cold start and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';
import { currentReadStats, recordResponse } from './readStats.js';
import { isTransientStorageError } from './storageErrors.js';

const { dynamodbEndpoint, dynamodbRequestTimeoutMs } = config();

/**
 * A connection that cannot be made in 1 s, or a call unanswered in 2.5 s (DYNAMODB_REQUEST_TIMEOUT_MS),
 * fails and is retried (3 attempts with backoff): a hung connection becomes a 503 within about
 * 8 s, inside even the shortest function time limit, never a gateway timeout.
 */
export const DYNAMODB_TIMEOUTS = {
  connectionTimeout: 1000,
  requestTimeout: dynamodbRequestTimeoutMs,
  maxAttempts: 3,
} as const;

const client = new DynamoDBClient({
  ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}),
  // A throttled or failed call is retried by the SDK with backoff before the request fails.
  maxAttempts: DYNAMODB_TIMEOUTS.maxAttempts,
  requestHandler: {
    connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeout,
    requestTimeout: DYNAMODB_TIMEOUTS.requestTimeout,
    // Without it, the handler only logs a warning when a call outlasts requestTimeout.
    throwOnRequestTimeout: true,
  },
});

// While a request collects read statistics, ask DynamoDB for consumed capacity and record it.
client.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as Record<string, unknown>;
    if (currentReadStats()) input.ReturnConsumedCapacity ??= 'TOTAL';
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next(args);
    } catch (error) {
      // Still failing after the SDK's own retries, but only for now (throttled, unreachable, an
      // internal error of the service): the client should retry later, not see a 500.
      if (isTransientStorageError(error)) {
        const unavailable = new ServiceUnavailableError('The customer store is unavailable or busy; retry shortly');
        unavailable.cause = error; // for logs and bulk jobs: what the store (or the network) said
        throw unavailable;
      }
      throw error;
    }
    const isWrite = /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(context.commandName ?? '');
    recordResponse(result.output as unknown as Record<string, unknown>, isWrite);
    return result;
  },
  { step: 'initialize', name: 'tmfReadStats' },
);

export const documentClient = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});
