/** One DynamoDB document client per process, created at cold start and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { currentReadStats, recordResponse } from './readStats.js';

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
    const result = await next(args);
    const isWrite = /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(context.commandName ?? '');
    recordResponse(result.output as unknown as Record<string, unknown>, isWrite);
    return result;
  },
  { step: 'initialize', name: 'tmfReadStats' },
);

export const documentClient = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});
