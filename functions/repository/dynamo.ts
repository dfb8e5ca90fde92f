/** One DynamoDB document client per process, created at cold start and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';

const { dynamodbEndpoint } = config();

export const documentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}),
    // A throttled or failed call is retried by the SDK with backoff before the request fails.
    maxAttempts: 4,
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
