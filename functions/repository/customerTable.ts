/**
 * The one owner of the customer table's shape: key schema, secondary indexes, and the mapping
 * between stored items and a TMF Customer. The CDK stack and the local engine both build the
 * table from `customerTable`, so the deployed and the local table cannot drift.
 *
 * Items (single table):
 *   customer  pk=CUSTOMER#<id>  sk=CUSTOMER           id, version, doc (the TMF JSON), listKey, lookups
 *   lookup    pk=CUSTOMER#<id>  sk=LOOKUP#<entry>     lookupKey=<entry>, id   (one per indexed value)
 *   counter   pk=COUNT#<scope>  sk=SHARD#<n>          count   (scope: "all", or a lookup entry)
 *
 * The TMF document is kept as one JSON string: TMF resources nest freely and carry numbers and
 * empty strings that a DynamoDB map would reject or reshape, and every read returns it whole.
 * Indexed attributes get one small lookup item per distinct value, so multi-valued attributes
 * (every email of every contact medium) are indexed as well as single ones, through one index.
 */
import { createHash } from 'node:crypto';
import type { EventSubscription } from '../generated/tmf629.js';

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
  readonly projection: 'KEYS_ONLY';
}

export const customerTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: {
    /** Every customer, in id (= creation time: ULIDs sort by time) order: the unfiltered list. */
    byCreation: {
      indexName: 'byCreation',
      partitionKey: { name: 'listKey', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      projection: 'KEYS_ONLY',
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

/**
 * Attributes answered from the lookup index (equality, comma ORs), with an exact count kept per
 * value. `multiValued`: one customer may hold several values (so counts of ORed values overlap).
 */
export const lookupAttributes = [
  { attribute: 'name', path: ['name'], multiValued: false },
  { attribute: 'engagedParty.id', path: ['engagedParty', 'id'], multiValued: false },
  { attribute: 'status', path: ['status'], multiValued: false },
  {
    attribute: 'contactMedium.characteristic.emailAddress',
    path: ['contactMedium', 'characteristic', 'emailAddress'],
    multiValued: true,
  },
  {
    attribute: 'contactMedium.characteristic.phoneNumber',
    path: ['contactMedium', 'characteristic', 'phoneNumber'],
    multiValued: true,
  },
] as const;

export type LookupAttribute = (typeof lookupAttributes)[number];

export function lookupAttributeOf(attribute: string): LookupAttribute | undefined {
  return lookupAttributes.find((candidate) => candidate.attribute === attribute);
}

/**
 * At most this many distinct indexed values per customer, so that a create or a PATCH that
 * changes every one of them still fits in one DynamoDB transaction (100 items).
 */
export const MAX_LOOKUP_ENTRIES = 24;
/** Writes to one count spread over this many items, so a popular value is not a write hot spot. */
export const COUNTER_SHARDS = 4;
/** DynamoDB caps a partition key at 2048 bytes; longer values are indexed by their hash. */
const MAX_PLAIN_VALUE_BYTES = 1024;

const CUSTOMER_SK = 'CUSTOMER';
const LIST_KEY = 'CUSTOMER';
export const ALL_CUSTOMERS = 'all';

/**
 * Ids the service stores and serves: its own ULIDs, and the ids customers bring from a legacy
 * BSS or CRM through a bulk import. 1 to 128 URL-unreserved characters (letters, digits, `-`,
 * `.`, `_`, `~`), starting with a letter or digit, so an id is always one clean path segment.
 */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export function isCustomerIdShape(id: string): boolean {
  return CUSTOMER_ID_PATTERN.test(id);
}

/**
 * A customer item written by a bulk import (without `--notify`) carries this attribute, so the
 * stream publisher skips it: a migration does not flood hub listeners with create events. Any
 * later write through the API drops it, and that change is notified as usual.
 */
export const WRITTEN_BY_IMPORT = { attribute: 'writtenBy', value: 'import' } as const;

export interface CustomerKey {
  pk: string;
  sk: string;
}

export interface StoredCustomer {
  /** The TMF Customer as stored: id and @type set, href omitted (it depends on the caller's URL). */
  doc: Record<string, unknown>;
  /** Incremented on every write; the basis for optimistic concurrency and the ETag. */
  version: number;
  /** The lookup entries written for this version. */
  lookups: string[];
  /** Set when a bulk import wrote this version: `<source>#<line>`. */
  importedFrom?: string;
}

export function customerKey(id: string): CustomerKey {
  return { pk: `CUSTOMER#${id}`, sk: CUSTOMER_SK };
}

export function isCustomerItem(item: Record<string, unknown>): boolean {
  return item.sk === CUSTOMER_SK && typeof item.doc === 'string';
}

/** The lookup entry for one value of an indexed attribute. Plain when short, hashed when not. */
export function lookupEntry(attribute: string, value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= MAX_PLAIN_VALUE_BYTES) return `${attribute}=${value}`;
  return `${attribute}#${createHash('sha256').update(value, 'utf8').digest('base64url')}`;
}

function stringsAt(value: unknown, path: readonly string[]): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => stringsAt(item, path));
  if (path.length === 0) return typeof value === 'string' ? [value] : [];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  return Object.hasOwn(value, head as string)
    ? stringsAt((value as Record<string, unknown>)[head as string], rest)
    : [];
}

/** The distinct lookup entries of a customer document, sorted. */
export function lookupEntriesOf(doc: Record<string, unknown>): string[] {
  const entries = new Set<string>();
  for (const { attribute, path } of lookupAttributes) {
    for (const value of stringsAt(doc, path)) entries.add(lookupEntry(attribute, value));
  }
  return [...entries].sort();
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

export function toCustomerItem(
  doc: Record<string, unknown>,
  version: number,
  lookups: readonly string[],
  options: { writtenByImport?: boolean; importedFrom?: string } = {},
): Record<string, unknown> {
  const id = doc.id;
  if (typeof id !== 'string') throw new TypeError('a stored customer needs a string id');
  return {
    ...customerKey(id),
    id,
    version,
    doc: JSON.stringify(doc),
    listKey: LIST_KEY,
    lookups: [...lookups],
    ...(options.writtenByImport ? { [WRITTEN_BY_IMPORT.attribute]: WRITTEN_BY_IMPORT.value } : {}),
    ...(options.importedFrom ? { importedFrom: options.importedFrom } : {}),
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
    doc: JSON.parse(item.doc as string) as Record<string, unknown>,
    version: item.version,
    lookups,
    ...(typeof item.importedFrom === 'string' ? { importedFrom: item.importedFrom } : {}),
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

/** Hub subscriptions share one partition: they are few, and delivery reads them all at once. */
export const HUB_PARTITION = 'HUB';

/** A hub subscription: the TMF EventSubscription resource, stored as it is answered. */
export type StoredSubscription = Readonly<EventSubscription>;

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
  };
}

/** Notification deliveries waiting (local server only: in AWS, SQS holds them). */
export const DELIVERY_PARTITION = 'DELIVERY';
/** Deliveries that exhausted their attempts (local dead-letter store). */
export const DEAD_LETTER_PARTITION = 'DEAD_LETTER';
