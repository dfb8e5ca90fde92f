/**
 * The one owner of the customer table's shape: key schema, secondary indexes and the mapping
 * between a stored item and a TMF Customer. The CDK stack and the local engine both build the
 * table from `customerTable`, so the deployed and the local table cannot drift.
 *
 * Item layout (single table):
 *   customer   pk=CUSTOMER#<id>  sk=CUSTOMER      id, version, doc (the TMF JSON), nameKey, listKey
 *   counter    pk=COUNTER#CUSTOMER  sk=SHARD#<n>  count   (exact customer count, sharded)
 *
 * The TMF document is kept as one JSON string: TMF resources nest freely and carry numbers and
 * empty strings that a DynamoDB map would reject or reshape, and every read returns it whole.
 */
import { createHash } from 'node:crypto';

export type KeyType = 'S' | 'N';
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}
export interface IndexShape {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** KEYS_ONLY: a write that does not change an index key costs the index nothing. */
  readonly projection: 'KEYS_ONLY';
}

export const customerTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: {
    /** Exact-name lookups: GET /customer?name=... */
    byName: {
      indexName: 'byName',
      partitionKey: { name: 'nameKey', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    /** The unfiltered list in id (= creation, ULIDs sort by time) order. */
    byCreation: {
      indexName: 'byCreation',
      partitionKey: { name: 'listKey', type: 'S' },
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

const CUSTOMER_SK = 'CUSTOMER';
const LIST_KEY = 'CUSTOMER';
const COUNTER_PK = 'COUNTER#CUSTOMER';
/** Writes spread over this many counter items so the count is not a single-item hot spot. */
export const COUNTER_SHARDS = 8;

/** DynamoDB caps a GSI partition key at 2048 bytes; longer names are indexed by their hash. */
const MAX_PLAIN_NAME_BYTES = 1024;

export interface CustomerKey {
  pk: string;
  sk: string;
}

export interface StoredCustomer {
  /** The TMF Customer as stored: id and @type set, href omitted (it depends on the caller's URL). */
  doc: Record<string, unknown>;
  /** Incremented on every write; the basis for optimistic concurrency and the ETag. */
  version: number;
}

export function customerKey(id: string): CustomerKey {
  return { pk: `CUSTOMER#${id}`, sk: CUSTOMER_SK };
}

/** Index key for a name. Prefixed so that an empty name is still a valid key value. */
export function nameKeyOf(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_PLAIN_NAME_BYTES) return `N#${name}`;
  return `H#${createHash('sha256').update(name, 'utf8').digest('base64url')}`;
}

export function listKeyOfCustomers(): string {
  return LIST_KEY;
}

export function counterKey(shard: number): CustomerKey {
  return { pk: COUNTER_PK, sk: `SHARD#${shard}` };
}

export function counterPartition(): string {
  return COUNTER_PK;
}

export function toCustomerItem(doc: Record<string, unknown>, version: number): Record<string, unknown> {
  const id = doc.id;
  if (typeof id !== 'string') throw new TypeError('a stored customer needs a string id');
  const item: Record<string, unknown> = {
    ...customerKey(id),
    id,
    version,
    doc: JSON.stringify(doc),
    listKey: LIST_KEY,
  };
  if (typeof doc.name === 'string') item.nameKey = nameKeyOf(doc.name);
  return item;
}

export function fromCustomerItem(item: Record<string, unknown>): StoredCustomer {
  if (typeof item.doc !== 'string' || typeof item.version !== 'number') {
    throw new TypeError(`item ${String(item.pk)} is not a customer item`);
  }
  return { doc: JSON.parse(item.doc) as Record<string, unknown>, version: item.version };
}

/** Byte size of a stored item as DynamoDB counts it (attribute names plus values), approximately. */
export function itemSizeBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, 'utf8');
    size += typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 21;
  }
  return size;
}

/** DynamoDB's item limit is 400 KB; keep headroom for the version counter and key attributes. */
export const MAX_ITEM_BYTES = 400 * 1024 - 1024;
