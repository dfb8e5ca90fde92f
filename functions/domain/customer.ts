/**
 * What the single-customer operations share: preconditions, storage limits, retries under
 * contention and the versioned representation. Each TMF629 operation lives in its own module
 * (createCustomer.ts, retrieveCustomer.ts, ...) so that each Lambda bundles only what it runs.
 */
import { backoffDelay, pause } from '../backoff.js';
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  ValidationError,
} from '../errors.js';
import { StaleVersionError, type CustomerDocument, type CustomerStore, type StoredCustomer } from './ports.js';
import { MAX_LOOKUP_ENTRIES, isCustomerIdShape, lookupEntriesOf } from './lookupAttributes.js';
import { etagOf, represent, type CustomerResource, type ResourceContext } from './representation.js';

export type { ResourceContext } from './representation.js';

export const CUSTOMER_TYPE = 'Customer';

/**
 * Attempts at a read-modify-write before a write gives up under contention. Between attempts a
 * randomised, growing pause spreads competing writers out (50 concurrent PATCHes of one customer
 * all land).
 */
const WRITE_ATTEMPTS = 40;
const backoff = (attempt: number) => pause(backoffDelay(attempt, { baseMs: 5, capMs: 200, jitter: true }));

export interface VersionedCustomer {
  readonly customer: CustomerResource;
  /** Strong entity tag of the stored version. */
  readonly etag: string;
}

/** Preconditions a client may set on a write. */
export interface WritePreconditions {
  /** The If-Match header as sent: `*`, or a list of entity tags. */
  readonly ifMatch?: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function versioned(stored: StoredCustomer, context: ResourceContext): VersionedCustomer {
  return { customer: represent(stored, context), etag: etagOf(stored) };
}

/** What a store says of its limits: enough to check a document before writing it. */
export type StorageLimits = Pick<CustomerStore, 'lookupAttributes' | 'maxCustomerBytes' | 'customerBytes'>;

export function assertStorable(store: StorageLimits, doc: CustomerDocument): void {
  const lookups = lookupEntriesOf(doc, store.lookupAttributes);
  if (lookups.length > MAX_LOOKUP_ENTRIES) {
    throw new ValidationError(
      `Customer has ${lookups.length} distinct indexed values (names, statuses, emails, phone numbers); at most ${MAX_LOOKUP_ENTRIES} are kept per customer`,
    );
  }
  const size = store.customerBytes(doc, lookups);
  if (size > store.maxCustomerBytes) {
    throw new PayloadTooLargeError(
      `Customer would take ${size} bytes; the most one customer can hold is ${store.maxCustomerBytes} bytes`,
    );
  }
}

/** An id of a shape never stored (see CUSTOMER_ID_PATTERN) cannot name a customer: not found, without a read. */
export function assertKnownIdShape(id: string): void {
  if (!isCustomerIdShape(id)) throw new NotFoundError(`No customer with id "${id.slice(0, 64)}"`);
}

export async function findOrFail(store: CustomerStore, id: string): Promise<StoredCustomer> {
  const stored = await store.findCustomer(id);
  if (!stored) throw new NotFoundError(`No customer with id "${id}"`);
  return stored;
}

/** RFC 9110 If-Match: `*` or a list of strong tags; a weak tag never matches. */
export function assertIfMatch(stored: StoredCustomer, preconditions: WritePreconditions): void {
  const header = preconditions.ifMatch?.trim();
  if (header === undefined || header === '') return;
  if (header === '*') return;
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.includes(etagOf(stored))) {
    throw new PreconditionFailedError(
      `If-Match ${header.slice(0, 128)} does not match the current version ${etagOf(stored)}; nothing was changed`,
    );
  }
}

/**
 * Optimistic read-modify-write: reads the customer, checks If-Match, and runs `write` on that
 * version. When another writer got there first, it re-reads and runs `write` again on the newer
 * version (bounded, with backoff); with If-Match the version may not change under it (412).
 */
export async function onLatestVersion<T>(
  store: CustomerStore,
  id: string,
  preconditions: WritePreconditions,
  operation: 'PATCH' | 'DELETE',
  write: (current: StoredCustomer) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const current = await findOrFail(store, id);
    assertIfMatch(current, preconditions);
    try {
      return await write(current);
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      // A reindex may have rewritten its lookups without changing the version: If-Match still holds.
      if (preconditions.ifMatch && (await store.findCustomer(id))?.version !== current.version) {
        throw new PreconditionFailedError(
          `The customer changed while this ${operation} was applied; nothing was changed`,
        );
      }
      await backoff(attempt);
    }
  }
  throw new ConflictError(`Customer "${id}" is being changed by others too often; retry the ${operation}`);
}
