/**
 * The local customer table, created (or completed with missing indexes) from the same shape the
 * CDK stack deploys (functions/repository/customerTable.ts), so the local and the deployed table
 * cannot drift; and its stream, which the local notifier reads.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { pause } from '../functions/backoff.js';
import { customerTable, indexList, type IndexShape } from '../functions/repository/customerTable.js';

function gsiOf(index: IndexShape): GlobalSecondaryIndex {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
    ],
    Projection: {
      ProjectionType: index.projection,
      ...(index.include ? { NonKeyAttributes: [...index.include] } : {}),
    },
  };
}

function attributeDefinitions(): AttributeDefinition[] {
  const keys = [
    customerTable.partitionKey,
    customerTable.sortKey,
    ...indexList.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const byName = new Map(keys.map((key) => [key.name, key.type]));
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await pause(100);
  }
}

/** Creates the customer table as deployed, or adds the indexes an older local table lacks. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  let existing: Set<string> | undefined;
  let streamEnabled = false;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName ?? ''));
    streamEnabled = Table?.StreamSpecification?.StreamEnabled === true;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(),
        KeySchema: [
          { AttributeName: customerTable.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: customerTable.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexList.map(gsiOf),
        // The notification pipeline reads the table's own stream, as in the deployed stack.
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } else {
    for (const index of indexList.filter((i) => !existing.has(i.indexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions(),
          GlobalSecondaryIndexUpdates: [{ Create: gsiOf(index) }],
        }),
      );
      await waitUntilActive(client, tableName);
    }
    if (!streamEnabled) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
    }
  }
  await waitUntilActive(client, tableName);
}

/** The ARN of the table's current stream. */
export async function streamArnOf(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
  return Table.LatestStreamArn;
}
