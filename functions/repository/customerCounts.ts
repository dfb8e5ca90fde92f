/**
 * The kept counts (all customers, and customers per lookup entry): read as the sum of a count's
 * partition, repaired by adding differences, and folded after imports (see recount.ts).
 */
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriter } from './batchWriter.js';
import { ALL_CUSTOMERS, COUNTER_SHARDS, counterKey, counterPartition } from './customerTable.js';
import { transact, type Table, type TransactItem } from './table.js';

/** Exact count of all customers, or of those holding one lookup entry: one Query of the shards. */
export async function countCustomers(table: Table, scope: string = ALL_CUSTOMERS): Promise<number> {
  const { Items = [] } = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': counterPartition(scope) },
      ConsistentRead: true,
    }),
  );
  return Items.reduce((sum, item) => sum + (typeof item.count === 'number' ? item.count : 0), 0);
}

/** The import-batch counter items of `scope` (what foldImportCounts folds). */
export async function importCountsOf(table: Table, scope: string): Promise<{ sk: string; count: number }[]> {
  const batches: { sk: string; count: number }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :import)',
        ExpressionAttributeValues: { ':pk': counterPartition(scope), ':import': 'IMPORT#' },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      batches.push({ sk: String(item.sk), count: typeof item.count === 'number' ? item.count : 0 });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return batches;
}

/**
 * Moves what import batches added to the count of `scope` into one shard, so reading the count
 * stays one small Query however many imports it has seen. Each transaction deletes up to 99
 * batch items, each only if it still holds what the scan saw, and adds their sum to shard 0:
 * the count is the same before and after, whatever writes meanwhile. Returns the items folded.
 */
export async function foldImportCounts(
  table: Table,
  scope: string,
  batches: readonly { readonly sk: string; readonly count: number }[],
): Promise<number> {
  let folded = 0;
  for (let start = 0; start < batches.length; start += 99) {
    const slice = batches.slice(start, start + 99);
    const sum = slice.reduce((total, batch) => total + batch.count, 0);
    try {
      await transact(table, [
        ...slice.map((batch): TransactItem => ({
          Delete: {
            TableName: table.tableName,
            Key: { pk: counterPartition(scope), sk: batch.sk },
            ConditionExpression: '#count = :seen',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':seen': batch.count },
          },
        })),
        {
          Update: {
            TableName: table.tableName,
            Key: counterKey(scope, 0),
            UpdateExpression: 'ADD #count :sum',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':sum': sum },
          },
        },
      ]);
      folded += slice.length;
    } catch (error) {
      // A batch item changed since the scan: leave this slice for the next recount.
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (!reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
    }
  }
  return folded;
}

/** Writes counts no shard holds yet (values a bulk import brought in), whole, in BatchWriteItem calls. */
export async function writeNewCounts(
  table: Table,
  counts: readonly (readonly [scope: string, count: number])[],
): Promise<void> {
  await new BatchWriter(table).write(
    counts.map(([scope, count]) => ({ PutRequest: { Item: { ...counterKey(scope, 0), count } } })),
  );
}

/** Adds `delta` to the count of `scope` (a repair: the other shards keep their share). */
export async function addToCount(table: Table, scope: string, delta: number): Promise<void> {
  await table.documentClient.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: counterKey(scope, 0),
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta },
    }),
  );
}

/** Deletes every shard of the counts of these scopes (the values of an attribute no longer indexed). */
export async function deleteCounts(table: Table, scopes: readonly string[]): Promise<void> {
  for (const scope of scopes) {
    await Promise.all(
      Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
        table.documentClient.send(new DeleteCommand({ TableName: table.tableName, Key: counterKey(scope, shard) })),
      ),
    );
  }
}
