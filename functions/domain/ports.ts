/**
 * What the domain needs from storage, and nothing more: the ports the DynamoDB adapter
 * (functions/repository) implements and the in-memory store of the unit tests implements too.
 * The domain never sees keys, indexes, shards or capacity; the adapter never sees TMF rules.
 */
import type { Customer, EventSubscription } from '../generated/tmf629.js';
import type { LookupAttribute } from './lookupAttributes.js';

/**
 * The TMF Customer as stored: the generated type, its id always set, href omitted (it depends on
 * the caller's URL), and whatever else a TMF extension (@schemaLocation) brings.
 */
export type CustomerDocument = Omit<Customer, 'id' | 'href'> & { id: string } & Record<string, unknown>;

/** A customer as stored, at one version. */
export interface StoredCustomer {
  doc: CustomerDocument;
  /** Incremented on every write; the basis for optimistic concurrency and the ETag. */
  version: number;
  /** The lookup entries written for this version. */
  lookups: string[];
  /** Set when a bulk import wrote this version: `<source>#<line>`. */
  importedFrom?: string;
  /** When this version was written (ISO 8601, to the millisecond), as the table holds it. */
  changedAt?: string;
  /** False for an item written before the list index existed (`npm run reindex` lists it). */
  listed?: false;
}

/**
 * A hub subscription: the TMF EventSubscription resource, and the secret its deliveries are
 * signed with (answered once, at registration).
 */
export type StoredSubscription = Readonly<EventSubscription> & {
  readonly signingSecret?: string;
  /** The API version it was registered through, which shapes its events (absent: v4). */
  readonly apiVersion?: 'v5';
};

/** How far a configured lookup attribute's backfill is (`npm run reindex`). */
export type IndexStatus = 'building' | 'active';

/** The stored customer changed since it was read (or is not at the version the caller expects). */
export class StaleVersionError extends Error {}

/**
 * The store failed for now (throttled, unreachable, busy with contention): retrying later may
 * succeed. The HTTP chain answers it with 503 and Retry-After; a bulk job waits and retries.
 */
export class StoreUnavailableError extends Error {
  constructor(message = 'The customer store is unavailable or busy; retry shortly', options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Items in id order, read lazily from one or more sorted sources and merged. */
export interface IdOrderedReader<T> {
  /** The next item, reading about `wanted` ahead; undefined at the end. */
  next(wanted?: number): Promise<T | undefined>;
  /** Skips `skip` items, then takes `count` (`onItem` sees every item read, for budgets). */
  skipAndTake(skip: number, count: number, onItem?: () => void): Promise<{ taken: T[]; consumed: number }>;
  /** What is read ahead, or the next pages of `size`, in any order; none at the end. */
  takeAll(size: number): Promise<T[]>;
  /** The next item without taking it. */
  peek(wanted?: number): Promise<T | undefined>;
}

/** Customers, their lookups and their counts. */
export interface CustomerStore {
  /** The attributes whose values the store keeps lookups and counts for. */
  readonly lookupAttributes: readonly LookupAttribute[];
  /** The most bytes one stored customer may take, and what a document would take. */
  readonly maxCustomerBytes: number;
  customerBytes(doc: CustomerDocument, lookups: readonly string[]): number;

  /** Stores a new customer at version 1, with its lookups and counts; fails on a taken id. */
  insertCustomer(doc: CustomerDocument): Promise<StoredCustomer>;
  /** Strongly consistent. */
  findCustomer(id: string): Promise<StoredCustomer | undefined>;
  /** Writes `doc` as the next version of `current`; StaleVersionError if `current` is no longer current. */
  replaceCustomer(doc: CustomerDocument, current: StoredCustomer): Promise<StoredCustomer>;
  /** Deletes `current`; StaleVersionError if it is no longer current. */
  removeCustomer(current: StoredCustomer): Promise<void>;
  /** Customers for these ids, in the order given; ids not stored are skipped. */
  getCustomers(ids: readonly string[], options?: { consistent?: boolean }): Promise<StoredCustomer[]>;
  /** Exact count of all customers (no scope) or of those holding one lookup entry. */
  countCustomers(scope?: string): Promise<number>;
  /** Every customer, in id order after `startId`. */
  customersInIdOrder(startId: string | undefined): IdOrderedReader<StoredCustomer>;
  /** Ids of customers holding any of these lookup entries, in id order after `startId`. */
  idsWithLookups(entries: readonly string[], startId: string | undefined): IdOrderedReader<string>;
  /** Every customer, page by page, in no order (`segments` read in parallel). */
  forEachCustomer(onCustomers: (customers: StoredCustomer[]) => Promise<void> | void, segments?: number): Promise<void>;
  /** Every customer holding a lookup entry, page by page. */
  forEachCustomerWithLookup(
    entry: string,
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  ): Promise<void>;
  /** Configured lookup attributes whose backfill is done (read at most every so often). */
  activeConfiguredAttributes(): Promise<ReadonlySet<string>>;
  /** The secret that seals list cursors (one per table, created on first use). */
  cursorKey(): Promise<Buffer>;
}

/** Hub subscriptions (TMF630 notification listeners). */
export interface SubscriptionStore {
  /** Fails if the id is taken. */
  insertSubscription(subscription: StoredSubscription): Promise<void>;
  findSubscription(id: string): Promise<StoredSubscription | undefined>;
  /** False when there was none. */
  removeSubscription(id: string): Promise<boolean>;
  listSubscriptions(): Promise<StoredSubscription[]>;
}
