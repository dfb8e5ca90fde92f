/**
 * The one owner of the customer table's shape: key schema, secondary indexes, and the mapping
 * between stored items and a TMF Customer. The CDK stack and the local engine both build the
 * table from `customerTable`, so the deployed and the local table cannot drift.
 *
 * Items (single table):
 *   customer  pk=CUSTOMER#<id>  sk=CUSTOMER           id, version, doc (the TMF JSON), listShard, lookups
 *   lookup    pk=CUSTOMER#<id>  sk=LOOKUP#<entry>     lookupKey=<entry>, id   (one per indexed value)
 *   counter   pk=COUNT#<scope>  sk=SHARD#<n>          count   (scope: "all", or a lookup entry)
 *             pk=COUNT#<scope>  sk=IMPORT#<batch>      count   (what one import batch added; summed alike)
 *   index     pk=INDEX          sk=<attribute>        status (building | active): configured lookups
 *   cursor    pk=CURSOR_KEY     sk=CURSOR_KEY         key: seals the `cursor` of list pages
 *
 * The TMF document is kept as one JSON string: TMF resources nest freely and carry numbers and
 * empty strings that a DynamoDB map would reject or reshape, and every read returns it whole.
 * Indexed attributes get one small lookup item per distinct value, so multi-valued attributes
 * (every email of every contact medium) are indexed as well as single ones, through one index.
 */
import { createHash } from 'node:crypto';
import type { CustomerDocument, StoredCustomer, StoredSubscription } from '../domain/ports.js';

export type { IndexStatus, StoredCustomer, StoredSubscription } from '../domain/ports.js';

export type KeyType = 'S' | 'N';
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}
export interface IndexShape {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** KEYS_ONLY: small index items, and a write that changes no index key costs the index nothing. */
  readonly projection: 'KEYS_ONLY' | 'INCLUDE';
  /** With INCLUDE: the non-key attributes the index carries. */
  readonly include?: readonly string[];
}

export const customerTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: {
    /**
     * Customer items only (lookup items and counters carry no `listShard`), spread over
     * LIST_SHARDS partitions so that creates scale, each in id order (ULIDs sort by creation
     * time). It carries the document: the unfiltered list merges the shards and reads no other
     * item, and a filter no index serves scans this index, never the lookup items or counters.
     */
    byListShard: {
      indexName: 'byListShard',
      partitionKey: { name: 'listShard', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      projection: 'INCLUDE',
      include: ['doc', 'version', 'lookups'],
    },
    /** Lookup items: customers by the exact value of an indexed attribute, in id order. */
    byLookup: {
      indexName: 'byLookup',
      partitionKey: { name: 'lookupKey', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  },
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  indexes: Record<string, IndexShape>;
};

export const indexList: readonly IndexShape[] = Object.values(customerTable.indexes);

/** Writes to one count spread over this many items, so a popular value is not a write hot spot. */
export const COUNTER_SHARDS = 4;

const CUSTOMER_SK = 'CUSTOMER';
export const ALL_CUSTOMERS = 'all';
/**
 * Partitions of the list index. Each index partition takes about 1,000 write units a second, so
 * customer creates scale to several thousand a second; a list page merges this many sorted runs.
 */
export const LIST_SHARDS = 8;

/** The list-index partition of a customer: a stable hash of its id. */
export function listShardOf(id: string): string {
  return `CUSTOMER#${createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % LIST_SHARDS}`;
}

export function listShards(): string[] {
  return Array.from({ length: LIST_SHARDS }, (_, shard) => `CUSTOMER#${shard}`);
}

/**
 * A customer item written by a bulk import (without `--notify`) carries this attribute, so the
 * stream publisher skips it: a migration does not flood hub listeners with create events. Any
 * later write through the API drops it, and that change is notified as usual.
 */
export const WRITTEN_BY_IMPORT = { attribute: 'writtenBy', value: 'import' } as const;

/** The attribute naming the Region a version was written in (multi-Region deployments). */
export const WRITTEN_IN = 'writtenIn';

export interface CustomerKey {
  pk: string;
  sk: string;
}

export function customerKey(id: string): CustomerKey {
  return { pk: `CUSTOMER#${id}`, sk: CUSTOMER_SK };
}

export function isCustomerItem(item: Record<string, unknown>): boolean {
  return item.sk === CUSTOMER_SK && typeof item.doc === 'string';
}

export function lookupItem(id: string, entry: string): Record<string, unknown> {
  return { pk: `CUSTOMER#${id}`, sk: `LOOKUP#${entry}`, lookupKey: entry, id };
}

export function lookupItemKey(id: string, entry: string): CustomerKey {
  return { pk: `CUSTOMER#${id}`, sk: `LOOKUP#${entry}` };
}

/** The partition holding the count of `scope` (all customers, or one lookup entry). */
export function counterPartition(scope: string): string {
  return `COUNT#${scope}`;
}

export function counterKey(scope: string, shard: number): CustomerKey {
  return { pk: counterPartition(scope), sk: `SHARD#${shard}` };
}

/**
 * The counter item holding what one import batch added to the count of `scope`. A bulk import
 * writes these with BatchWriteItem (which cannot ADD), one key per batch, so no write overwrites
 * another's share; a count is the sum of every item in its partition, whatever its sort key.
 */
export function importCounterKey(scope: string, batch: string): CustomerKey {
  return { pk: counterPartition(scope), sk: `IMPORT#${batch}` };
}

/** True for a counter item an import batch wrote (folded into a shard by the recount). */
export function isImportCounterSk(sk: unknown): boolean {
  return typeof sk === 'string' && sk.startsWith('IMPORT#');
}

export function toCustomerItem(
  doc: Record<string, unknown>,
  version: number,
  lookups: readonly string[],
  options: { writtenByImport?: boolean; importedFrom?: string; changedAt?: Date; writtenIn?: string } = {},
): Record<string, unknown> {
  const id = doc.id;
  if (typeof id !== 'string') throw new TypeError('a stored customer needs a string id');
  return {
    ...customerKey(id),
    id,
    version,
    doc: JSON.stringify(doc),
    listShard: listShardOf(id),
    lookups: [...lookups],
    ...(options.writtenByImport ? { [WRITTEN_BY_IMPORT.attribute]: WRITTEN_BY_IMPORT.value } : {}),
    ...(options.importedFrom ? { importedFrom: options.importedFrom } : {}),
    // Multi-Region: the Region that wrote this version; only that Region's publisher announces it.
    ...(options.writtenIn ? { [WRITTEN_IN]: options.writtenIn } : {}),
    // When this version was written, to the millisecond: the eventTime of its notification.
    changedAt: (options.changedAt ?? new Date()).toISOString(),
  };
}

export function isWrittenByImport(item: Record<string, unknown>): boolean {
  return item[WRITTEN_BY_IMPORT.attribute] === WRITTEN_BY_IMPORT.value;
}

export function fromCustomerItem(item: Record<string, unknown>): StoredCustomer {
  if (!isCustomerItem(item) || typeof item.version !== 'number') {
    throw new TypeError(`item ${String(item.pk)} is not a customer item`);
  }
  const lookups = Array.isArray(item.lookups)
    ? item.lookups.filter((entry): entry is string => typeof entry === 'string')
    : [];
  return {
    // Only validated documents are stored: what is read back is a CustomerDocument.
    doc: JSON.parse(item.doc as string) as CustomerDocument,
    version: item.version,
    lookups,
    ...(typeof item.importedFrom === 'string' ? { importedFrom: item.importedFrom } : {}),
    ...(typeof item.changedAt === 'string' ? { changedAt: item.changedAt } : {}),
    ...(typeof item.listShard === 'string' ? {} : { listed: false as const }),
  };
}

/** Byte size of an item as DynamoDB counts it (attribute names plus values), a little over. */
export function itemSizeBytes(item: Record<string, unknown>): number {
  const sizeOf = (value: unknown): number =>
    typeof value === 'string'
      ? Buffer.byteLength(value, 'utf8')
      : Array.isArray(value)
        ? 3 + value.reduce((sum: number, element) => sum + 1 + sizeOf(element), 0)
        : 21;
  return Object.entries(item).reduce(
    (size, [name, value]) => size + Buffer.byteLength(name, 'utf8') + sizeOf(value),
    0,
  );
}

/** DynamoDB's item limit is 400 KB; keep headroom for the version counter and key attributes. */
export const MAX_ITEM_BYTES = 400 * 1024 - 1024;

/** Configured lookup attributes and whether their backfill is done (`npm run reindex`). */
export const INDEX_PARTITION = 'INDEX';

export function indexStateKey(attribute: string): CustomerKey {
  return { pk: INDEX_PARTITION, sk: attribute };
}

/** The key that seals list cursors; created on first use, read by the list function. */
export const CURSOR_KEY_PARTITION = 'CURSOR_KEY';
export const cursorKeyItemKey: CustomerKey = { pk: CURSOR_KEY_PARTITION, sk: CURSOR_KEY_PARTITION };

/** Hub subscriptions share one partition: they are few, and delivery reads them all at once. */
export const HUB_PARTITION = 'HUB';

export function subscriptionKey(id: string): CustomerKey {
  return { pk: HUB_PARTITION, sk: id };
}

export function toSubscriptionItem(subscription: StoredSubscription): Record<string, unknown> {
  return { ...subscriptionKey(subscription.id), ...subscription };
}

export function fromSubscriptionItem(item: Record<string, unknown>): StoredSubscription {
  return {
    id: String(item.id),
    callback: String(item.callback),
    ...(typeof item.query === 'string' ? { query: item.query } : {}),
    ...(typeof item.signingSecret === 'string' ? { signingSecret: item.signingSecret } : {}),
    ...(item.apiVersion === 'v5' ? { apiVersion: 'v5' as const } : {}),
  };
}

/** Notification deliveries waiting (local server only: in AWS, SQS holds them). */
export const DELIVERY_PARTITION = 'DELIVERY';
/** Deliveries that exhausted their attempts (local dead-letter store). */
export const DEAD_LETTER_PARTITION = 'DEAD_LETTER';
