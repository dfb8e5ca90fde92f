/**
 * Customer persistence on DynamoDB. Knows keys, indexes, conditions and transactions; knows
 * nothing of HTTP or TMF query syntax.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { config } from '../config.js';
import { documentClient } from './dynamo.js';
import {
  COUNTER_SHARDS,
  counterKey,
  counterPartition,
  customerKey,
  customerTable,
  fromCustomerItem,
  listKeyOfCustomers,
  nameKeyOf,
  toCustomerItem,
  type StoredCustomer,
} from './customerTable.js';

const { tableName } = config();
const BATCH_GET_MAX = 100;

/** The stored customer changed (or vanished) since it was read. */
export class StaleVersionError extends Error {}
/** The customer to write or delete is not there. */
export class MissingCustomerError extends Error {}

function randomShard(): number {
  return Math.floor(Math.random() * COUNTER_SHARDS);
}

function counterUpdate(delta: 1 | -1) {
  return {
    Update: {
      TableName: tableName,
      Key: counterKey(randomShard()),
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/** Stores a new customer and counts it, atomically. */
export async function insertCustomer(doc: Record<string, unknown>): Promise<StoredCustomer> {
  const version = 1;
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: toCustomerItem(doc, version),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        counterUpdate(1),
      ],
    }),
  );
  return { doc, version };
}

export async function findCustomer(id: string): Promise<StoredCustomer | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: customerKey(id), ConsistentRead: true }),
  );
  return Item ? fromCustomerItem(Item) : undefined;
}

/** Replaces a customer if it is still at `expectedVersion`; returns the new version. */
export async function replaceCustomer(doc: Record<string, unknown>, expectedVersion: number): Promise<StoredCustomer> {
  const version = expectedVersion + 1;
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: toCustomerItem(doc, version),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new StaleVersionError();
    throw error;
  }
  return { doc, version };
}

/** Deletes a customer and uncounts it, atomically. */
export async function removeCustomer(id: string): Promise<void> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: customerKey(id),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          counterUpdate(-1),
        ],
      }),
    );
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    ) {
      throw new MissingCustomerError();
    }
    throw error;
  }
}

/** Exact number of customers, from the counter shards (one small Query, whatever the table size). */
export async function countCustomers(): Promise<number> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': counterPartition() },
      ConsistentRead: true,
    }),
  );
  return Items.reduce((sum, item) => sum + (typeof item.count === 'number' ? item.count : 0), 0);
}

/**
 * Ids of customers in id order, skipping `offset`. Reads offset+limit index keys (key-only items,
 * a few dozen bytes each), never the customers it skips.
 */
export async function listCustomerIds(offset: number, limit: number): Promise<string[]> {
  const wanted = offset + limit;
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  while (ids.length < wanted) {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: customerTable.indexes.byCreation.indexName,
        KeyConditionExpression: 'listKey = :list',
        ExpressionAttributeValues: { ':list': listKeyOfCustomers() },
        ProjectionExpression: 'id',
        Limit: wanted - ids.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) ids.push(item.id as string);
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
  }
  return ids.slice(offset, wanted);
}

/** All ids of customers with exactly this name, in id order. */
export async function findCustomerIdsByName(name: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: customerTable.indexes.byName.indexName,
        KeyConditionExpression: 'nameKey = :name',
        ExpressionAttributeValues: { ':name': nameKeyOf(name) },
        ProjectionExpression: 'id',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) ids.push(item.id as string);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

/**
 * Customers for the given ids, in the order given; ids no longer stored are skipped.
 * Unprocessed keys (throttling) are retried with backoff.
 */
export async function getCustomers(ids: readonly string[]): Promise<StoredCustomer[]> {
  const found = new Map<string, StoredCustomer>();
  for (let start = 0; start < ids.length; start += BATCH_GET_MAX) {
    let keys: Record<string, unknown>[] | undefined = ids
      .slice(start, start + BATCH_GET_MAX)
      .map((id): Record<string, unknown> => ({ ...customerKey(id) }));
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchGetItem left keys unprocessed after 8 retries');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        found.set(item.id as string, fromCustomerItem(item));
      }
      keys = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return ids.flatMap((id) => {
    const customer = found.get(id);
    return customer ? [customer] : [];
  });
}
