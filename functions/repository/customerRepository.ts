/**
 * Customer persistence on DynamoDB. Knows keys, indexes, conditions and transactions; knows
 * nothing of HTTP or of TMF query syntax.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { config } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';
import { documentClient } from './dynamo.js';
import {
  ALL_CUSTOMERS,
  COUNTER_SHARDS,
  counterKey,
  counterPartition,
  customerKey,
  customerTable,
  fromCustomerItem,
  isCustomerItem,
  lookupEntriesOf,
  lookupItem,
  lookupItemKey,
  toCustomerItem,
  type StoredCustomer,
} from './customerTable.js';

const { tableName } = config();
const BATCH_GET_MAX = 100;
const TRANSACTION_ATTEMPTS = 6;

/** The stored customer changed since it was read (or is not at the version the caller expects). */
export class StaleVersionError extends Error {}
/** The customer to write or delete is not there. */
export class MissingCustomerError extends Error {}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function counterUpdate(scope: string, delta: 1 | -1): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: counterKey(scope, Math.floor(Math.random() * COUNTER_SHARDS)),
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/**
 * Runs a transaction, retrying (with jitter) when it lost a race on a shared item such as a
 * counter shard. Fails with the cancellation when a condition of the caller's failed.
 */
async function transact(items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      const retryable = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError');
      const conditionFailed = reasons.some((r) => r.Code === 'ConditionalCheckFailed');
      if (!retryable || conditionFailed) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS)
        throw new ServiceUnavailableError('The customer store is busy; retry shortly');
      await pause(Math.random() * 20 * 2 ** attempt);
    }
  }
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
  );
}

/** Stores a new customer with its lookup items, and counts it, in one transaction. */
export async function insertCustomer(doc: Record<string, unknown>): Promise<StoredCustomer> {
  const id = doc.id as string;
  const lookups = lookupEntriesOf(doc);
  await transact([
    {
      Put: {
        TableName: tableName,
        Item: toCustomerItem(doc, 1, lookups),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...lookups.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: lookupItem(id, entry) } })),
    counterUpdate(ALL_CUSTOMERS, 1),
    ...lookups.map((entry) => counterUpdate(entry, 1)),
  ]);
  return { doc, version: 1, lookups };
}

export async function findCustomer(id: string): Promise<StoredCustomer | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: customerKey(id), ConsistentRead: true }),
  );
  return Item ? fromCustomerItem(Item) : undefined;
}

/**
 * Replaces a customer if it is still at the version `current` was read at. Lookup items and
 * counts change in the same transaction when an indexed value changed; otherwise it is one
 * conditional put.
 */
export async function replaceCustomer(doc: Record<string, unknown>, current: StoredCustomer): Promise<StoredCustomer> {
  const id = doc.id as string;
  const version = current.version + 1;
  const lookups = lookupEntriesOf(doc);
  const added = lookups.filter((entry) => !current.lookups.includes(entry));
  const removed = current.lookups.filter((entry) => !lookups.includes(entry));
  const put = {
    TableName: tableName,
    Item: toCustomerItem(doc, version, lookups),
    ConditionExpression: 'version = :expected',
    ExpressionAttributeValues: { ':expected': current.version },
  };
  try {
    if (added.length === 0 && removed.length === 0) {
      await documentClient.send(new PutCommand(put));
    } else {
      await transact([
        { Put: put },
        ...added.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: lookupItem(id, entry) } })),
        ...removed.map((entry): TransactItem => ({ Delete: { TableName: tableName, Key: lookupItemKey(id, entry) } })),
        ...added.map((entry) => counterUpdate(entry, 1)),
        ...removed.map((entry) => counterUpdate(entry, -1)),
      ]);
    }
  } catch (error) {
    if (isConditionFailure(error)) throw new StaleVersionError();
    throw error;
  }
  return { doc, version, lookups };
}

/** Deletes the customer as read (`current`), its lookup items and its counts, in one transaction. */
export async function removeCustomer(current: StoredCustomer): Promise<void> {
  const id = current.doc.id as string;
  try {
    await transact([
      {
        Delete: {
          TableName: tableName,
          Key: customerKey(id),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': current.version },
        },
      },
      ...current.lookups.map((entry): TransactItem => ({
        Delete: { TableName: tableName, Key: lookupItemKey(id, entry) },
      })),
      counterUpdate(ALL_CUSTOMERS, -1),
      ...current.lookups.map((entry) => counterUpdate(entry, -1)),
    ]);
  } catch (error) {
    if (isConditionFailure(error)) throw new StaleVersionError();
    throw error;
  }
}

/** Exact count of all customers, or of those holding one lookup entry: one Query of the shards. */
export async function countCustomers(scope: string = ALL_CUSTOMERS): Promise<number> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': counterPartition(scope) },
      ConsistentRead: true,
    }),
  );
  return Items.reduce((sum, item) => sum + (typeof item.count === 'number' ? item.count : 0), 0);
}

/** Called with each page's size; throws to stop a long read (a budget or a deadline). */
export type ReadGuard = (items: number) => void;

/** Pages of ids from a key-only index partition, in id order, until `max` ids or the end. */
async function indexIds(
  indexName: string,
  keyName: string,
  keyValue: string,
  max: number,
  onPage?: (ids: string[]) => Promise<void>,
  guard?: ReadGuard,
): Promise<string[]> {
  const ids: string[] = [];
  if (max <= 0) return ids;
  let startKey: Record<string, unknown> | undefined;
  do {
    const remaining = max - ids.length;
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': keyName },
        ExpressionAttributeValues: { ':value': keyValue },
        ProjectionExpression: 'id',
        ...(Number.isFinite(remaining) ? { Limit: remaining } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    const pageIds = (page.Items ?? []).map((item) => item.id as string);
    guard?.(pageIds.length);
    if (onPage) await onPage(pageIds);
    else ids.push(...pageIds);
    startKey = page.LastEvaluatedKey;
  } while (startKey && ids.length < max);
  return ids;
}

/**
 * The first `max` customer ids in id order. Reads only key-only index items (a few dozen bytes
 * each), never the customers it skips.
 */
export function listCustomerIds(max: number, guard?: ReadGuard): Promise<string[]> {
  const { indexName, partitionKey } = customerTable.indexes.byCreation;
  return indexIds(indexName, partitionKey.name, 'CUSTOMER', max, undefined, guard);
}

/** Ids of customers holding a lookup entry, in id order, up to `max`. */
export function lookupCustomerIds(entry: string, max = Number.POSITIVE_INFINITY, guard?: ReadGuard): Promise<string[]> {
  const { indexName, partitionKey } = customerTable.indexes.byLookup;
  return indexIds(indexName, partitionKey.name, entry, max, undefined, guard);
}

/** Every customer holding a lookup entry, fetched page by page. */
export async function forEachCustomerWithLookup(
  entry: string,
  onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
): Promise<void> {
  const { indexName, partitionKey } = customerTable.indexes.byLookup;
  await indexIds(indexName, partitionKey.name, entry, Number.POSITIVE_INFINITY, async (ids) => {
    await onCustomers(await getCustomers(ids));
  });
}

/** Which attributes a scan reads, and which items it keeps (DynamoDB expressions). */
interface ScanShape {
  readonly projection?: string;
  readonly filter?: string;
  readonly names?: Record<string, string>;
  readonly values?: Record<string, unknown>;
}

/**
 * The table read by a parallel Scan in segments, page after page to the end (a page cut by
 * DynamoDB's 1 MB limit just continues). A page whose handler fails stops the other segments at
 * their next page.
 */
async function scanSegments(
  shape: ScanShape,
  segments: number,
  onItems: (items: Record<string, unknown>[]) => Promise<void> | void,
): Promise<void> {
  let stopped = false;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        if (stopped) return;
        const page = await documentClient.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: shape.projection,
            FilterExpression: shape.filter,
            ExpressionAttributeNames: shape.names,
            ExpressionAttributeValues: shape.values,
            ExclusiveStartKey: startKey,
          }),
        );
        try {
          await onItems(page.Items ?? []);
        } catch (error) {
          stopped = true;
          throw error;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
}

/** Every customer in the table, page by page, by a parallel Scan in segments. */
export async function forEachCustomer(
  onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  segments = 4,
): Promise<void> {
  await scanSegments({ filter: 'sk = :customer', values: { ':customer': customerKey('').sk } }, segments, (items) =>
    onCustomers(items.filter(isCustomerItem).map(fromCustomerItem)),
  );
}

/** What the kept counts are made of, one scanned page at a time. */
export interface CountSourcePage {
  /** The lookup entries of each customer item on the page (one list per customer). */
  readonly customerLookups: string[][];
  /** The counter shards on the page, by the scope they count. */
  readonly shards: { readonly scope: string; readonly count: number }[];
}

/**
 * Every customer's lookup entries and every counter shard, by a parallel Scan that reads only
 * keys, lookups and counts (never the documents): what a recount compares.
 */
export async function forEachCountSource(onPage: (page: CountSourcePage) => void, segments = 4): Promise<void> {
  const counterPrefix = counterPartition('');
  const customerSk = customerKey('').sk;
  await scanSegments({ projection: 'pk, sk, lookups, #count', names: { '#count': 'count' } }, segments, (items) => {
    const page: CountSourcePage = { customerLookups: [], shards: [] };
    for (const item of items) {
      if (item.sk === customerSk) {
        page.customerLookups.push(Array.isArray(item.lookups) ? (item.lookups as string[]) : []);
      } else if (typeof item.pk === 'string' && item.pk.startsWith(counterPrefix)) {
        page.shards.push({
          scope: item.pk.slice(counterPrefix.length),
          count: typeof item.count === 'number' ? item.count : 0,
        });
      }
    }
    onPage(page);
  });
}

/** Adds `delta` to the count of `scope` (a repair: the other shards keep their share). */
export async function addToCount(scope: string, delta: number): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: counterKey(scope, 0),
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta },
    }),
  );
}

/**
 * Customers for the given ids, in the order given; ids no longer stored are skipped.
 * Unprocessed keys (throttling) are retried with backoff.
 */
export async function getCustomers(
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
        if (attempt > 0) await pause(Math.min(1000, 25 * 2 ** attempt));
        const result: BatchGetCommandOutput = await documentClient.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: keys, ...(options.consistent ? { ConsistentRead: true } : {}) } },
          }),
        );
        for (const item of result.Responses?.[tableName] ?? []) found.set(item.id as string, fromCustomerItem(item));
        keys = result.UnprocessedKeys?.[tableName]?.Keys;
      }
    }),
  );
  return ids.flatMap((id) => {
    const customer = found.get(id);
    return customer ? [customer] : [];
  });
}
