/**
 * In-memory implementations of the domain's ports (functions/domain/ports.ts), for unit tests of
 * TMF rules without DynamoDB or its mocks. They keep the ports' contracts: versions, conditional
 * replace and remove (StaleVersionError), lookup entries and exact counts, id-ordered readers.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  BUILT_IN_LOOKUP_ATTRIBUTES,
  lookupEntriesOf,
  type LookupAttribute,
} from '../../functions/domain/lookupAttributes.js';
import {
  StaleVersionError,
  type CustomerDocument,
  type CustomerStore,
  type IdOrderedReader,
  type StoredCustomer,
  type StoredSubscription,
  type SubscriptionStore,
} from '../../functions/domain/ports.js';

const copy = <T>(value: T): T => structuredClone(value);

/** An id-ordered reader over a snapshot of sorted items. */
function readerOver<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  startId: string | undefined,
): IdOrderedReader<T> {
  const queue = items.filter((item) => startId === undefined || idOf(item) > startId);
  return {
    next: async () => queue.shift(),
    peek: async () => queue[0],
    skipAndTake: async (skip, count, onItem) => {
      const consumed = queue.splice(0, skip + count);
      consumed.forEach(() => onItem?.());
      return { taken: consumed.slice(skip), consumed: consumed.length };
    },
    takeAll: async (size) => queue.splice(0, size),
  };
}

export class MemoryCustomerStore implements CustomerStore {
  readonly customers = new Map<string, StoredCustomer>();
  /** Every write the domain asked for, in order (tests assert on what was, or was not, written). */
  readonly writes: { readonly kind: 'insert' | 'replace' | 'remove'; readonly id: string }[] = [];
  /** Replaces that fail as stale before succeeding (a writer that got there first). */
  staleReplaces = 0;
  readonly maxCustomerBytes: number;
  readonly activeConfigured = new Set<string>();

  constructor(
    readonly lookupAttributes: readonly LookupAttribute[] = BUILT_IN_LOOKUP_ATTRIBUTES,
    options: { maxCustomerBytes?: number } = {},
  ) {
    this.maxCustomerBytes = options.maxCustomerBytes ?? 400 * 1024 - 1024;
  }

  customerBytes(doc: CustomerDocument, lookups: readonly string[]): number {
    return Buffer.byteLength(JSON.stringify(doc), 'utf8') + lookups.join('').length;
  }

  /** Seeds a customer as if written through the API. */
  seed(doc: Record<string, unknown>, version = 1): StoredCustomer {
    // Tests seed documents as the domain would store them (validated, with an id).
    const stored = {
      doc: copy(doc) as CustomerDocument,
      version,
      lookups: lookupEntriesOf(doc, this.lookupAttributes),
    };
    this.customers.set(stored.doc.id, stored);
    return copy(stored);
  }

  async insertCustomer(doc: CustomerDocument): Promise<StoredCustomer> {
    const id = doc.id;
    if (this.customers.has(id)) throw new Error(`id ${id} is taken`);
    this.writes.push({ kind: 'insert', id });
    return this.seed(doc, 1);
  }

  async findCustomer(id: string): Promise<StoredCustomer | undefined> {
    const stored = this.customers.get(id);
    return stored ? copy(stored) : undefined;
  }

  private assertCurrent(current: StoredCustomer): void {
    const held = this.customers.get(current.doc.id);
    if (!held || held.version !== current.version || !isDeepStrictEqual(held.lookups, current.lookups)) {
      throw new StaleVersionError();
    }
  }

  async replaceCustomer(doc: CustomerDocument, current: StoredCustomer): Promise<StoredCustomer> {
    if (this.staleReplaces > 0) {
      this.staleReplaces -= 1;
      // Another writer's version lands first.
      const held = this.customers.get(current.doc.id);
      if (held) this.customers.set(current.doc.id, { ...held, version: held.version + 1 });
      throw new StaleVersionError();
    }
    this.assertCurrent(current);
    this.writes.push({ kind: 'replace', id: doc.id });
    return this.seed(doc, current.version + 1);
  }

  async removeCustomer(current: StoredCustomer): Promise<void> {
    this.assertCurrent(current);
    this.writes.push({ kind: 'remove', id: current.doc.id });
    this.customers.delete(current.doc.id);
  }

  async getCustomers(ids: readonly string[]): Promise<StoredCustomer[]> {
    return ids.flatMap((id) => {
      const stored = this.customers.get(id);
      return stored ? [copy(stored)] : [];
    });
  }

  async countCustomers(scope?: string): Promise<number> {
    const all = [...this.customers.values()];
    return scope === undefined ? all.length : all.filter((stored) => stored.lookups.includes(scope)).length;
  }

  private sorted(): StoredCustomer[] {
    return [...this.customers.values()].map(copy).sort((a, b) => (a.doc.id < b.doc.id ? -1 : 1));
  }

  customersInIdOrder(startId: string | undefined): IdOrderedReader<StoredCustomer> {
    return readerOver(this.sorted(), (stored) => stored.doc.id, startId);
  }

  idsWithLookups(entries: readonly string[], startId: string | undefined): IdOrderedReader<string> {
    const ids = this.sorted()
      .filter((stored) => stored.lookups.some((entry) => entries.includes(entry)))
      .map((stored) => stored.doc.id);
    return readerOver(ids, (id) => id, startId);
  }

  async forEachCustomer(onCustomers: (customers: StoredCustomer[]) => Promise<void> | void): Promise<void> {
    await onCustomers(this.sorted());
  }

  async forEachCustomerWithLookup(
    entry: string,
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  ): Promise<void> {
    await onCustomers(this.sorted().filter((stored) => stored.lookups.includes(entry)));
  }

  async activeConfiguredAttributes(): Promise<ReadonlySet<string>> {
    return this.activeConfigured;
  }

  private readonly key = Buffer.alloc(32, 7);
  async cursorKey(): Promise<Buffer> {
    return this.key;
  }
}

export class MemorySubscriptionStore implements SubscriptionStore {
  readonly subscriptions = new Map<string, StoredSubscription>();

  async insertSubscription(subscription: StoredSubscription): Promise<void> {
    if (this.subscriptions.has(subscription.id)) throw new Error(`id ${subscription.id} is taken`);
    this.subscriptions.set(subscription.id, copy(subscription));
  }

  async findSubscription(id: string): Promise<StoredSubscription | undefined> {
    const found = this.subscriptions.get(id);
    return found ? copy(found) : undefined;
  }

  async removeSubscription(id: string): Promise<boolean> {
    return this.subscriptions.delete(id);
  }

  async listSubscriptions(): Promise<StoredSubscription[]> {
    return [...this.subscriptions.values()].map(copy);
  }
}
