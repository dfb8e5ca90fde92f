/** The DynamoDB document client: one per process, built by the composition root and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../domain/ports.js';
import { currentReadStats, recordResponse } from '../readStats.js';
import { isTransientStorageError } from './storageErrors.js';

/**
 * A connection that cannot be made in 1 s, or a call unanswered in 2.5 s (DYNAMODB_REQUEST_TIMEOUT_MS),
 * fails and is retried (3 attempts with backoff): a hung connection becomes a 503 within about
 * 8 s, inside even the shortest function time limit, never a gateway timeout.
 */
export const DYNAMODB_TIMEOUTS = {
  connectionTimeout: 1000,
  requestTimeout: 2500,
  maxAttempts: 3,
} as const;

export interface DocumentClientSettings {
  /** The local engine's endpoint; the Region's DynamoDB when undefined. */
  readonly dynamodbEndpoint?: string | undefined;
  readonly dynamodbRequestTimeoutMs?: number;
  /** Given by local roots (the engine takes any); on AWS the SDK's default chain decides. */
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function createDocumentClient(settings: DocumentClientSettings = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(settings.dynamodbEndpoint ? { endpoint: settings.dynamodbEndpoint } : {}),
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
    // A throttled or failed call is retried by the SDK with backoff before the request fails.
    maxAttempts: DYNAMODB_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeout,
      requestTimeout: settings.dynamodbRequestTimeoutMs ?? DYNAMODB_TIMEOUTS.requestTimeout,
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
        // internal error of the service): the caller should retry later. The HTTP chain answers 503.
        if (isTransientStorageError(error)) throw new StoreUnavailableError(undefined, { cause: error });
        throw error;
      }
      const isWrite = /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(context.commandName ?? '');
      recordResponse(result.output as unknown as Record<string, unknown>, isWrite);
      return result;
    },
    { step: 'initialize', name: 'tmfReadStats' },
  );

  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
