/**
 * Customer persistence on DynamoDB. Knows keys, indexes, conditions and transactions; knows
 * nothing of HTTP or of TMF query syntax.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  StaleVersionError,
  StoreUnavailableError,
  type CustomerStore,
  type IndexStatus,
  type StoredCustomer,
} from '../domain/ports.js';
import type { LookupAttribute } from '../domain/lookupAttributes.js';
import { BatchWriter } from './batchWriter.js';
import { IdOrderedRuns } from './idOrderedRuns.js';
import {
  ALL_CUSTOMERS,
  COUNTER_SHARDS,
  counterKey,
  counterPartition,
  customerKey,
  customerTable,
  cursorKeyItemKey,
  fromCustomerItem,
  INDEX_PARTITION,
  indexStateKey,
  listShardOf,
  listShards,
  MAX_ITEM_BYTES,
  itemSizeBytes,
  isCustomerItem,
  lookupItem,
  lookupItemKey,
  toCustomerItem,
} from './customerTable.js';
import { lookupEntriesOf } from '../domain/lookupAttributes.js';

const BATCH_GET_MAX = 100;
const TRANSACTION_ATTEMPTS = 6;

/** What the kept counts are made of, one scanned page at a time. */
export interface CountSourcePage {
  /** The lookup entries of each customer item on the page (one list per customer). */
  readonly customerLookups: string[][];
  /** The counter items on the page (shards and import batches), by the scope they count. */
  readonly shards: { readonly scope: string; readonly sk: string; readonly count: number }[];
}

/** A customer's lookup entries as a reindex wants them, against the version it read. */
export interface LookupChange {
  readonly current: StoredCustomer;
  readonly lookups: readonly string[];
}

/** What the DynamoDB customer store is built from (by a composition root). */
export interface CustomerStoreSettings {
  readonly tableName: string;
  readonly lookupAttributes: readonly LookupAttribute[];
  /** How long configured indexes' states are trusted once read (ms). */
  readonly indexStateCacheMs?: number;
}

/**
 * The customer store on DynamoDB: every customer item, lookup item, counter and index state is
 * read and written here, and nowhere else.
 */
export function dynamoCustomerStore(documentClient: DynamoDBDocumentClient, settings: CustomerStoreSettings) {
  const { tableName, lookupAttributes, indexStateCacheMs = 30_000 } = settings;
  type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function counterUpdate(scope: string, delta: number): TransactItem {
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
          throw new StoreUnavailableError('The customer store is busy; retry shortly');
        await pause(Math.random() * 20 * 2 ** attempt);
      }
    }
  }

  function isConditionFailure(error: unknown): boolean {
    return (
      error instanceof ConditionalCheckFailedException ||
      (error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
    );
  }

  /** Stores a new customer with its lookup items, and counts it, in one transaction. */
  async function insertCustomer(doc: Record<string, unknown>): Promise<StoredCustomer> {
    const id = doc.id as string;
    const lookups = lookupEntriesOf(doc, lookupAttributes);
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

  async function findCustomer(id: string): Promise<StoredCustomer | undefined> {
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
  async function replaceCustomer(doc: Record<string, unknown>, current: StoredCustomer): Promise<StoredCustomer> {
    const id = doc.id as string;
    const version = current.version + 1;
    const lookups = lookupEntriesOf(doc, lookupAttributes);
    const added = lookups.filter((entry) => !current.lookups.includes(entry));
    const removed = current.lookups.filter((entry) => !lookups.includes(entry));
    // The lookups too: a reindex may have changed them (not the version) since `current` was read.
    const put = {
      TableName: tableName,
      Item: toCustomerItem(doc, version, lookups),
      ConditionExpression: 'version = :expected AND lookups = :lookups',
      ExpressionAttributeValues: { ':expected': current.version, ':lookups': [...current.lookups] },
    };
    try {
      if (added.length === 0 && removed.length === 0) {
        await documentClient.send(new PutCommand(put));
      } else {
        await transact([
          { Put: put },
          ...added.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: lookupItem(id, entry) } })),
          ...removed.map((entry): TransactItem => ({
            Delete: { TableName: tableName, Key: lookupItemKey(id, entry) },
          })),
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
  async function removeCustomer(current: StoredCustomer): Promise<void> {
    const id = current.doc.id as string;
    try {
      await transact([
        {
          Delete: {
            TableName: tableName,
            Key: customerKey(id),
            // The lookups too: the ones deleted with it must be the ones it has.
            ConditionExpression: 'version = :expected AND lookups = :lookups',
            ExpressionAttributeValues: { ':expected': current.version, ':lookups': [...current.lookups] },
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
  async function countCustomers(scope: string = ALL_CUSTOMERS): Promise<number> {
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

  /** Up to `limit` items of one index partition with an id after `afterId`, in id order. */
  async function indexRun(
    indexName: string,
    keyName: string,
    keyValue: string,
    afterId: string | undefined,
    limit: number,
    projection?: string,
  ): Promise<{ items: Record<string, unknown>[]; ended: boolean }> {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
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
  async function readListShard(shard: string, afterId: string | undefined, limit: number) {
    const { indexName, partitionKey } = customerTable.indexes.byListShard;
    const page = await indexRun(indexName, partitionKey.name, shard, afterId, limit);
    return { items: page.items.map(fromListIndexItem), ended: page.ended };
  }

  /** Ids of customers holding a lookup entry after `afterId`, in id order. */
  async function readLookupIds(entry: string, afterId: string | undefined, limit: number) {
    const { indexName, partitionKey } = customerTable.indexes.byLookup;
    const page = await indexRun(indexName, partitionKey.name, entry, afterId, limit, 'id');
    return { items: page.items.map((item) => item.id as string), ended: page.ended };
  }

  function fromListIndexItem(item: Record<string, unknown>): StoredCustomer {
    return fromCustomerItem({ ...item, sk: customerKey('').sk });
  }

  /** Every customer holding a lookup entry, fetched page by page. */
  async function forEachCustomerWithLookup(
    entry: string,
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  ): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await readLookupIds(entry, after, 1000);
      if (page.items.length > 0) await onCustomers(await getCustomers(page.items));
      if (page.ended || page.items.length === 0) return;
      after = page.items.at(-1);
    }
  }

  /** Which attributes a scan reads, and which items it keeps (DynamoDB expressions). */
  interface ScanShape {
    /** A secondary index to scan instead of the table. */
    readonly index?: string;
    readonly projection?: string;
    readonly filter?: string;
    readonly names?: Record<string, string>;
    readonly values?: Record<string, unknown>;
    /** Items per page: smaller pages keep each call short on a slow engine (and check deadlines often). */
    readonly limit?: number;
    /**
     * How long one page may take: longer than an API call's 2.5 s, because a full read of a large
     * table is bounded by the request's deadline and budget, not by one slow page.
     */
    readonly pageTimeoutMs?: number;
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
              IndexName: shape.index,
              Segment: segment,
              TotalSegments: segments,
              ProjectionExpression: shape.projection,
              FilterExpression: shape.filter,
              ExpressionAttributeNames: shape.names,
              ExpressionAttributeValues: shape.values,
              Limit: shape.limit,
              ExclusiveStartKey: startKey,
            }),
            shape.pageTimeoutMs ? { requestTimeout: shape.pageTimeoutMs } : {},
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

  /** Every customer in the table, page by page, by a parallel Scan of the list index (customer items only). */
  async function forEachCustomer(
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
    segments = 4,
  ): Promise<void> {
    await scanSegments(
      { index: customerTable.indexes.byListShard.indexName, limit: 500, pageTimeoutMs: 10_000 },
      segments,
      (items) => onCustomers(items.map(fromListIndexItem)),
    );
  }

  /**
   * Every customer item in the table itself, page by page (a parallel Scan that also reads, and
   * skips, lookup items and counters): for maintenance that must see items the list index may not
   * hold yet, such as items written before it existed.
   */
  async function forEachStoredCustomer(
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
    segments = 4,
  ): Promise<void> {
    await scanSegments(
      { filter: 'sk = :customer', values: { ':customer': customerKey('').sk } },
      segments,
      async (items) => {
        const customers = items.filter(isCustomerItem);
        if (customers.length > 0) await onCustomers(customers.map(fromCustomerItem));
      },
    );
  }

  /**
   * Every customer's lookup entries and every counter shard, by a parallel Scan that reads only
   * keys, lookups and counts (never the documents): what a recount compares.
   */
  async function forEachCountSource(onPage: (page: CountSourcePage) => void, segments = 8): Promise<void> {
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
            sk: String(item.sk),
            count: typeof item.count === 'number' ? item.count : 0,
          });
        }
      }
      onPage(page);
    });
  }

  /** The import-batch counter items of `scope` (what foldImportCounts folds). */
  async function importCountsOf(scope: string): Promise<{ sk: string; count: number }[]> {
    const batches: { sk: string; count: number }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
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
  async function foldImportCounts(
    scope: string,
    batches: readonly { readonly sk: string; readonly count: number }[],
  ): Promise<number> {
    let folded = 0;
    for (let start = 0; start < batches.length; start += 99) {
      const slice = batches.slice(start, start + 99);
      const sum = slice.reduce((total, batch) => total + batch.count, 0);
      try {
        await transact([
          ...slice.map((batch): TransactItem => ({
            Delete: {
              TableName: tableName,
              Key: { pk: counterPartition(scope), sk: batch.sk },
              ConditionExpression: '#count = :seen',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':seen': batch.count },
            },
          })),
          {
            Update: {
              TableName: tableName,
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
  async function writeNewCounts(counts: readonly (readonly [scope: string, count: number])[]): Promise<void> {
    await new BatchWriter({ tableName, documentClient }).write(
      counts.map(([scope, count]) => ({ PutRequest: { Item: { ...counterKey(scope, 0), count } } })),
    );
  }

  /** Adds `delta` to the count of `scope` (a repair: the other shards keep their share). */
  async function addToCount(scope: string, delta: number): Promise<void> {
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
  async function getCustomers(
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

  /** The status of each configured lookup attribute's backfill (`npm run reindex`), by attribute. */
  async function readIndexStates(): Promise<Map<string, IndexStatus>> {
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': INDEX_PARTITION },
        ConsistentRead: true,
      }),
    );
    return new Map(Items.map((item) => [item.sk as string, item.status as IndexStatus]));
  }

  /**
   * The secret that seals list cursors (AES-256-GCM): created once per table (a conditional put, so concurrent
   * first uses agree), then only read.
   */
  async function readCursorKey(): Promise<Buffer> {
    const read = async () =>
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: cursorKeyItemKey, ConsistentRead: true })))
        .Item;
    let item = await read();
    if (!item) {
      try {
        await documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...cursorKeyItemKey, key: randomBytes(32).toString('base64') },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      item = await read();
    }
    if (typeof item?.key !== 'string') throw new Error('the cursor key item has no key');
    return Buffer.from(item.key, 'base64');
  }

  /** DynamoDB's limit of items in one transaction. */
  const MAX_TRANSACTION_ITEMS = 100;

  function lookupChangeItems(change: LookupChange, deltas: Map<string, number>): TransactItem[] {
    const id = change.current.doc.id as string;
    const added = change.lookups.filter((entry) => !change.current.lookups.includes(entry));
    const removed = change.current.lookups.filter((entry) => !change.lookups.includes(entry));
    for (const entry of added) deltas.set(entry, (deltas.get(entry) ?? 0) + 1);
    for (const entry of removed) deltas.set(entry, (deltas.get(entry) ?? 0) - 1);
    return [
      {
        Update: {
          TableName: tableName,
          Key: customerKey(id),
          UpdateExpression: 'SET lookups = :lookups, listShard = :listShard',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: {
            ':lookups': [...change.lookups],
            ':listShard': listShardOf(id),
            ':expected': change.current.version,
          },
        },
      },
      ...added.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: lookupItem(id, entry) } })),
      ...removed.map((entry): TransactItem => ({ Delete: { TableName: tableName, Key: lookupItemKey(id, entry) } })),
    ];
  }

  /**
   * Writes the lookup entries (and list-index key) a reindex computed for each customer, with the
   * lookup items and counts they change, in transactions of several customers (their counter
   * changes summed), each customer conditional on the version that was read: so counts stay exact
   * while the API writes. Returns the ids whose version moved meanwhile (to read and redo).
   */
  async function applyLookupChanges(changes: readonly LookupChange[]): Promise<string[]> {
    const stale: string[] = [];
    const groups: LookupChange[][] = [];
    let group: LookupChange[] = [];
    let size = 0;
    let scopes = new Set<string>();
    for (const change of changes) {
      const deltas = new Map<string, number>();
      const items = lookupChangeItems(change, deltas).length;
      const newScopes = [...deltas.keys()].filter((scope) => !scopes.has(scope));
      if (group.length > 0 && size + items + scopes.size + newScopes.length > MAX_TRANSACTION_ITEMS) {
        groups.push(group);
        group = [];
        size = 0;
        scopes = new Set();
      }
      group.push(change);
      size += items;
      for (const scope of deltas.keys()) scopes.add(scope);
    }
    if (group.length > 0) groups.push(group);

    const write = async (members: readonly LookupChange[]) => {
      const deltas = new Map<string, number>();
      const items = members.flatMap((change) => lookupChangeItems(change, deltas));
      const counters = [...deltas]
        .filter(([, delta]) => delta !== 0)
        .map(([scope, delta]) => counterUpdate(scope, delta));
      await transact([...items, ...counters]);
    };
    for (const members of groups) {
      try {
        await write(members);
      } catch (error) {
        if (!isConditionFailure(error) && !(error instanceof TransactionCanceledException)) throw error;
        // Someone wrote one of them since it was read: redo the others one by one, report it.
        for (const change of members) {
          try {
            await write([change]);
          } catch (single) {
            if (!isConditionFailure(single)) throw single;
            stale.push(change.current.doc.id as string);
          }
        }
      }
    }
    return stale;
  }

  /** Records how far a configured lookup attribute's backfill is. */
  async function writeIndexState(attribute: string, status: IndexStatus): Promise<void> {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...indexStateKey(attribute), status, updatedAt: new Date().toISOString() },
      }),
    );
  }

  async function deleteIndexState(attribute: string): Promise<void> {
    await documentClient.send(new DeleteCommand({ TableName: tableName, Key: indexStateKey(attribute) }));
  }

  /** Deletes every shard of the counts of these scopes (the values of an attribute no longer indexed). */
  async function deleteCounts(scopes: readonly string[]): Promise<void> {
    for (const scope of scopes) {
      await Promise.all(
        Array.from({ length: COUNTER_SHARDS }, (_, shard) =>
          documentClient.send(new DeleteCommand({ TableName: tableName, Key: counterKey(scope, shard) })),
        ),
      );
    }
  }

  /** One strongly consistent read of a key that need not exist: does the table answer? */
  async function pingStore(): Promise<void> {
    await documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'HEALTH', sk: 'HEALTH' }, ConsistentRead: true }),
    );
  }

  /** Customers of every list-index shard after `startId`, merged in id order. */
  function customersInIdOrder(startId: string | undefined): IdOrderedRuns<StoredCustomer> {
    return new IdOrderedRuns(
      listShards().map((shard) => (after: string | undefined, limit: number) => readListShard(shard, after, limit)),
      (stored) => stored.doc.id as string,
      startId,
    );
  }

  /** Ids holding any of the entries, from their index partitions merged in id order. */
  function idsWithLookups(entries: readonly string[], startId: string | undefined): IdOrderedRuns<string> {
    return new IdOrderedRuns(
      entries.map((entry) => (after: string | undefined, limit: number) => readLookupIds(entry, after, limit)),
      (id) => id,
      startId,
    );
  }

  let indexStates: { readonly read: number; readonly active: Promise<Set<string>> } | undefined;
  /** Configured attributes whose backfill is done; read at most every indexStateCacheMs. */
  function activeConfiguredAttributes(): Promise<ReadonlySet<string>> {
    if (!indexStates || Date.now() - indexStates.read >= indexStateCacheMs) {
      const active = readIndexStates().then(
        (states) => new Set([...states].filter(([, status]) => status === 'active').map(([attribute]) => attribute)),
      );
      active.catch(() => (indexStates = undefined));
      indexStates = { read: Date.now(), active };
    }
    return indexStates.active;
  }

  let sealingKey: Promise<Buffer> | undefined;
  /** The cursor key, read once per process (a failed read is tried again next time). */
  function cursorKey(): Promise<Buffer> {
    sealingKey ??= readCursorKey().catch((error: unknown) => {
      sealingKey = undefined;
      throw error;
    });
    return sealingKey;
  }

  return {
    lookupAttributes,
    maxCustomerBytes: MAX_ITEM_BYTES,
    customerBytes: (doc: Record<string, unknown>, lookups: readonly string[]) =>
      itemSizeBytes(toCustomerItem(doc, 0, lookups)),
    insertCustomer,
    findCustomer,
    replaceCustomer,
    removeCustomer,
    getCustomers,
    countCustomers,
    customersInIdOrder,
    idsWithLookups,
    forEachCustomer,
    forEachCustomerWithLookup,
    activeConfiguredAttributes,
    cursorKey,
    // Maintenance (bulk jobs, the health check): beyond what the domain needs.
    forEachStoredCustomer,
    forEachCountSource,
    importCountsOf,
    foldImportCounts,
    addToCount,
    writeNewCounts,
    readIndexStates,
    applyLookupChanges,
    writeIndexState,
    deleteIndexState,
    deleteCounts,
    pingStore,
  } satisfies CustomerStore & Record<string, unknown>;
}

/** The DynamoDB customer store, with the maintenance operations bulk jobs use. */
export type DynamoCustomerStore = ReturnType<typeof dynamoCustomerStore>;
