/**
 * Reading customers by key: by id (BatchGetItem, unprocessed keys retried), and by one partition
 * of an index in id order (a list-index shard carries the documents; a lookup entry, the ids).
 */
import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { backoffDelay, pause } from '../backoff.js';
import type { StoredCustomer } from '../domain/ports.js';
import { customerKey, customerTable, fromCustomerItem } from './customerTable.js';
import type { Table } from './table.js';
import { fromListIndexItem } from './tableScans.js';

const BATCH_GET_MAX = 100;

/** Up to `limit` items of one index partition with an id after `afterId`, in id order. */
export async function indexRun(
  table: Table,
  indexName: string,
  keyName: string,
  keyValue: string,
  afterId: string | undefined,
  limit: number,
  projection?: string,
): Promise<{ items: Record<string, unknown>[]; ended: boolean }> {
  const page = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: indexName,
      KeyConditionExpression: afterId === undefined ? '#key = :value' : '#key = :value AND id > :after',
      ExpressionAttributeNames: { '#key': keyName },
      ExpressionAttributeValues: { ':value': keyValue, ...(afterId === undefined ? {} : { ':after': afterId }) },
      ...(projection ? { ProjectionExpression: projection } : {}),
      Limit: limit,
    }),
  );
  return { items: page.Items ?? [], ended: page.LastEvaluatedKey === undefined };
}

/** Customers of one list-index shard after `afterId`, in id order (documents from the index itself). */
export async function readListShard(table: Table, shard: string, afterId: string | undefined, limit: number) {
  const { indexName, partitionKey } = customerTable.indexes.byListShard;
  const page = await indexRun(table, indexName, partitionKey.name, shard, afterId, limit);
  return { items: page.items.map(fromListIndexItem), ended: page.ended };
}

/** Ids of customers holding a lookup entry after `afterId`, in id order. */
export async function readLookupIds(table: Table, entry: string, afterId: string | undefined, limit: number) {
  const { indexName, partitionKey } = customerTable.indexes.byLookup;
  const page = await indexRun(table, indexName, partitionKey.name, entry, afterId, limit, 'id');
  return { items: page.items.map((item) => item.id as string), ended: page.ended };
}

/**
 * Customers for the given ids, in the order given; ids no longer stored are skipped.
 * Unprocessed keys (throttling) are retried with backoff.
 */
export async function getCustomers(
  table: Table,
  ids: readonly string[],
  options: { consistent?: boolean } = {},
): Promise<StoredCustomer[]> {
  const found = new Map<string, StoredCustomer>();
  const unique = [...new Set(ids)];
  await Promise.all(
    Array.from({ length: Math.ceil(unique.length / BATCH_GET_MAX) }, async (_, chunk) => {
      let keys: Record<string, unknown>[] | undefined = unique
        .slice(chunk * BATCH_GET_MAX, (chunk + 1) * BATCH_GET_MAX)
        .map((id): Record<string, unknown> => ({ ...customerKey(id) }));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchGetItem left keys unprocessed after 8 retries');
        if (attempt > 0) await pause(backoffDelay(attempt, { baseMs: 25, capMs: 1000 }));
        const result: BatchGetCommandOutput = await table.documentClient.send(
          new BatchGetCommand({
            RequestItems: {
              [table.tableName]: { Keys: keys, ...(options.consistent ? { ConsistentRead: true } : {}) },
            },
          }),
        );
        for (const item of result.Responses?.[table.tableName] ?? [])
          found.set(item.id as string, fromCustomerItem(item));
        keys = result.UnprocessedKeys?.[table.tableName]?.Keys;
      }
    }),
  );
  return ids.flatMap((id) => {
    const customer = found.get(id);
    return customer ? [customer] : [];
  });
}
