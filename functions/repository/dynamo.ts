/** One DynamoDB document client per process, created at cold start and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';
import { currentReadStats, recordResponse } from './readStats.js';

const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

const { dynamodbEndpoint } = config();

const client = new DynamoDBClient({
  ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}),
  // A throttled or failed call is retried by the SDK with backoff before the request fails.
  maxAttempts: 4,
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
      // Still throttled after the SDK's own retries: the client should retry later, not see a 500.
      if (THROTTLING.has((error as Error).name)) {
        throw new ServiceUnavailableError('The customer store is busy; retry shortly');
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
