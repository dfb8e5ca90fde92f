/**
 * The customer store on DynamoDB (the CustomerStore port, and the maintenance bulk jobs use):
 * customer items with their lookup items and counts, written in transactions; reads by id, by
 * list-index shard and by lookup entry. Knows keys, indexes and conditions; knows nothing of HTTP
 * or of TMF query syntax. Scans, counts and reindex writes live in modules of their own.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { LookupAttribute } from '../domain/lookupAttributes.js';
import { lookupEntriesOf } from '../domain/lookupAttributes.js';
import { StaleVersionError, type CustomerDocument, type CustomerStore, type StoredCustomer } from '../domain/ports.js';
import { countCustomers } from './customerCounts.js';
import {
  ALL_CUSTOMERS,
  MAX_ITEM_BYTES,
  customerKey,
  cursorKeyItemKey,
  fromCustomerItem,
  itemSizeBytes,
  listShards,
  lookupItem,
  lookupItemKey,
  toCustomerItem,
} from './customerTable.js';
import { IdOrderedRuns } from './idOrderedRuns.js';
import { readIndexStates } from './lookupMaintenance.js';
import { counterUpdate, isConditionFailure, on, transact, type Table, type TransactItem } from './table.js';
import { forEachCustomer } from './tableScans.js';
import { getCustomers, readListShard, readLookupIds } from './tableReads.js';

export type { CountSourcePage } from './tableScans.js';
export type { LookupChange } from './lookupMaintenance.js';

/** What the DynamoDB customer store is built from (by a composition root). */
export interface CustomerStoreSettings {
  readonly tableName: string;
  readonly lookupAttributes: readonly LookupAttribute[];
  /** How long configured indexes' states are trusted once read (ms). */
  readonly indexStateCacheMs?: number;
  /** Multi-Region: this Region, stamped on every version written here (see customerTable.ts WRITTEN_IN). */
  readonly writtenIn?: string;
}

/**
 * The customer store on DynamoDB: every customer item, lookup item, counter and index state is
 * read and written here (and in the modules it composes), and nowhere else.
 */
export function dynamoCustomerStore(documentClient: DynamoDBDocumentClient, settings: CustomerStoreSettings) {
  const { tableName, lookupAttributes, indexStateCacheMs = 30_000, writtenIn } = settings;
  const stamp = writtenIn ? { writtenIn } : {};
  const table: Table = { documentClient, tableName };

  /** Stores a new customer with its lookup items, and counts it, in one transaction. */
  async function insertCustomer(doc: CustomerDocument): Promise<StoredCustomer> {
    const id = doc.id;
    const lookups = lookupEntriesOf(doc, lookupAttributes);
    await transact(table, [
      {
        Put: {
          TableName: tableName,
          Item: toCustomerItem(doc, 1, lookups, stamp),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...lookups.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: lookupItem(id, entry) } })),
      counterUpdate(table, ALL_CUSTOMERS, 1),
      ...lookups.map((entry) => counterUpdate(table, entry, 1)),
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
  async function replaceCustomer(doc: CustomerDocument, current: StoredCustomer): Promise<StoredCustomer> {
    const id = doc.id;
    const version = current.version + 1;
    const lookups = lookupEntriesOf(doc, lookupAttributes);
    const added = lookups.filter((entry) => !current.lookups.includes(entry));
    const removed = current.lookups.filter((entry) => !lookups.includes(entry));
    // The lookups too: a reindex may have changed them (not the version) since `current` was read.
    const put = {
      TableName: tableName,
      Item: toCustomerItem(doc, version, lookups, stamp),
      ConditionExpression: 'version = :expected AND lookups = :lookups',
      ExpressionAttributeValues: { ':expected': current.version, ':lookups': [...current.lookups] },
    };
    try {
      if (added.length === 0 && removed.length === 0) {
        await documentClient.send(new PutCommand(put));
      } else {
        await transact(table, [
          { Put: put },
          ...added.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: lookupItem(id, entry) } })),
          ...removed.map((entry): TransactItem => ({
            Delete: { TableName: tableName, Key: lookupItemKey(id, entry) },
          })),
          ...added.map((entry) => counterUpdate(table, entry, 1)),
          ...removed.map((entry) => counterUpdate(table, entry, -1)),
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
    const id = current.doc.id;
    try {
      await transact(table, [
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
        counterUpdate(table, ALL_CUSTOMERS, -1),
        ...current.lookups.map((entry) => counterUpdate(table, entry, -1)),
      ]);
    } catch (error) {
      if (isConditionFailure(error)) throw new StaleVersionError();
      throw error;
    }
  }

  /** Every customer holding a lookup entry, fetched page by page. */
  async function forEachCustomerWithLookup(
    entry: string,
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  ): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await readLookupIds(table, entry, after, 1000);
      if (page.items.length > 0) await onCustomers(await getCustomers(table, page.items));
      if (page.ended || page.items.length === 0) return;
      after = page.items.at(-1);
    }
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

  /** One strongly consistent read of a key that need not exist: does the table answer? */
  async function pingStore(): Promise<void> {
    await documentClient.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'HEALTH', sk: 'HEALTH' }, ConsistentRead: true }),
    );
  }

  /** Customers of every list-index shard after `startId`, merged in id order. */
  function customersInIdOrder(startId: string | undefined): IdOrderedRuns<StoredCustomer> {
    return new IdOrderedRuns(
      listShards().map(
        (shard) => (after: string | undefined, limit: number) => readListShard(table, shard, after, limit),
      ),
      (stored) => stored.doc.id,
      startId,
    );
  }

  /** Ids holding any of the entries, from their index partitions merged in id order. */
  function idsWithLookups(entries: readonly string[], startId: string | undefined): IdOrderedRuns<string> {
    return new IdOrderedRuns(
      entries.map((entry) => (after: string | undefined, limit: number) => readLookupIds(table, entry, after, limit)),
      (id) => id,
      startId,
    );
  }

  let indexStates: { readonly read: number; readonly active: Promise<Set<string>> } | undefined;

  /** Configured attributes whose backfill is done; read at most every indexStateCacheMs. */
  function activeConfiguredAttributes(): Promise<ReadonlySet<string>> {
    if (!indexStates || Date.now() - indexStates.read >= indexStateCacheMs) {
      const active = readIndexStates(table).then(
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
    customerBytes: (doc: CustomerDocument, lookups: readonly string[]) =>
      itemSizeBytes(toCustomerItem(doc, 0, lookups)),
    insertCustomer,
    findCustomer,
    replaceCustomer,
    removeCustomer,
    getCustomers: on(table, getCustomers),
    countCustomers: on(table, countCustomers),
    customersInIdOrder,
    idsWithLookups,
    forEachCustomer: on(table, forEachCustomer),
    forEachCustomerWithLookup,
    activeConfiguredAttributes,
    cursorKey,
    // The health check's probe: beyond what the domain needs.
    pingStore,
  } satisfies CustomerStore & Record<string, unknown>;
}

/** The DynamoDB customer store, as the API functions use it. */
export type DynamoCustomerStore = ReturnType<typeof dynamoCustomerStore>;
