/**
 * Brings every customer's lookup items in line with the configured indexed attributes
 * (INDEXED_ATTRIBUTES), while the API keeps serving: `npm run reindex`.
 *
 *   1. Attributes configured but not yet backfilled are marked `building`: writers already keep
 *      their lookups (they read the same configuration), but lists do not use them yet.
 *   2. One parallel scan of the customer items. Each customer whose stored entries differ from
 *      what the configuration gives (new attributes, attributes no longer indexed, or an item from
 *      before the sharded list index) is rewritten in a transaction: its entries, its lookup items
 *      and the counts they change, conditional on the version read. A customer the API changed
 *      meanwhile is read again and redone. Counts stay exact throughout, without a recount.
 *   3. The backfilled attributes become `active` (lists use them within 30 s); the counts and
 *      states of attributes no longer configured are deleted.
 *
 * Re-running it is safe and cheap: customers already in line are only read.
 */
import type { StoredCustomer } from '../domain/ports.js';
import type { LookupChange } from '../repository/customerRepository.js';
import type { DynamoMaintenanceStore } from '../repository/maintenanceStore.js';
import { attributeOfEntry, lookupEntriesOf, MAX_LOOKUP_ENTRIES } from '../domain/lookupAttributes.js';

export interface ReindexOptions {
  readonly segments?: number;
  /** Called after each scanned page with the progress so far. */
  readonly onProgress?: (progress: ReindexProgress) => void;
}

export interface ReindexProgress {
  /** Customers examined. */
  readonly customers: number;
  /** Customers whose lookups were rewritten. */
  readonly updated: number;
}

export interface ReindexSummary extends ReindexProgress {
  /** Configured attributes now answered from the index. */
  readonly active: readonly string[];
  /** Attributes no longer configured whose lookups and counts were removed. */
  readonly removed: readonly string[];
  /** Customers the API changed during the scan, read again and redone. */
  readonly redone: number;
  /**
   * Customers with more indexed values than a customer may hold (MAX_LOOKUP_ENTRIES): left as
   * they were, and the new attributes stay `building` until they are fixed.
   */
  readonly overLimit: readonly string[];
}

const REDO_ATTEMPTS = 5;

export async function reindexCustomers(
  store: DynamoMaintenanceStore,
  options: ReindexOptions = {},
): Promise<ReindexSummary> {
  const { lookupAttributes } = store;
  const configured = lookupAttributes.filter((attribute) => !attribute.builtIn).map((a) => a.attribute);
  const states = await store.readIndexStates();
  for (const attribute of configured) {
    if (states.get(attribute) !== 'active') await store.writeIndexState(attribute, 'building');
  }
  const removed = [...states.keys()].filter((attribute) => !configured.includes(attribute));
  const removedEntries = new Set<string>();
  const overLimit: string[] = [];
  let customers = 0;
  let updated = 0;
  let redone = 0;

  /** The change one customer needs, if any. */
  const changeOf = (current: StoredCustomer): LookupChange | undefined => {
    const lookups = lookupEntriesOf(current.doc, lookupAttributes);
    for (const entry of current.lookups) {
      if (!lookups.includes(entry) && !attributeOfEntry(entry, lookupAttributes)) removedEntries.add(entry);
    }
    const same = lookups.length === current.lookups.length && lookups.every((e, i) => e === current.lookups[i]);
    if (same && current.listed !== false) return undefined;
    if (lookups.length > MAX_LOOKUP_ENTRIES) {
      overLimit.push(current.doc.id);
      return undefined;
    }
    return { current, lookups };
  };

  const apply = async (batch: readonly StoredCustomer[]) => {
    let changes = batch.flatMap((current) => changeOf(current) ?? []);
    for (let attempt = 0; changes.length > 0; attempt++) {
      const stale = await store.applyLookupChanges(changes);
      updated += changes.length - stale.length;
      if (stale.length === 0) return;
      if (attempt >= REDO_ATTEMPTS) {
        throw new Error(`customers ${stale.slice(0, 5).join(', ')} kept changing during the reindex; run it again`);
      }
      redone += stale.length;
      const fresh = await store.getCustomers(stale, { consistent: true });
      changes = fresh.flatMap((current) => changeOf(current) ?? []);
    }
  };

  await store.forEachStoredCustomer(async (batch) => {
    await apply(batch);
    customers += batch.length;
    options.onProgress?.({ customers, updated });
  }, options.segments);

  const building = overLimit.length === 0 ? configured : [];
  for (const attribute of building) await store.writeIndexState(attribute, 'active');
  await store.deleteCounts([...removedEntries]);
  for (const attribute of removed) await store.deleteIndexState(attribute);
  return { customers, updated, redone, active: building, removed, overLimit };
}
