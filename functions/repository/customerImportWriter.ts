/**
 * How a bulk import writes (shared by `npm run import` and the cloud import job): no transaction
 * per customer, but rounds of BatchWriteItem in two phases, then the counts.
 *   1. lookup items: the new values' items put, the old values' items deleted;
 *   2. customer items (the commit point);
 *   3. counts: what the round added to each kept count (all customers, and each indexed value,
 *      from what was stored before), as one counter item per count under a key of its own
 *      (BatchWriteItem cannot ADD, and a key per write means none overwrites another). A caller
 *      importing many chunks gathers the rounds' counts in one PendingCounts and writes them
 *      every so often, so a count busy in every chunk (all customers) gets a few items, not one
 *      per round.
 * A crash between the phases leaves the customer item as it was, so a re-run re-processes the
 * record; once the customer item is written, its lookup items are right. A crash before phase 3,
 * or an API write racing the round, leaves a count off: the recount that ends every import finds
 * and repairs it, and folds the rounds' counter items into the shards.
 */
import { isDeepStrictEqual } from 'node:util';
import { ulid } from 'ulid';
import type { CustomerDocument, CustomerStore, StoredCustomer } from '../domain/ports.js';
import type { BatchWriter, WriteRequest } from './batchWriter.js';
import { ALL_CUSTOMERS, importCounterKey, lookupItem, lookupItemKey, toCustomerItem } from './customerTable.js';

/** What rounds added to each kept count, held until written as one counter item per count. */
export class PendingCounts {
  private deltas = new Map<string, number>();

  add(scope: string, delta: number): void {
    this.deltas.set(scope, (this.deltas.get(scope) ?? 0) + delta);
  }

  /** Counts with something pending. */
  get size(): number {
    return this.deltas.size;
  }

  /** The counter items for everything pending (one key for all of them), forgetting it. */
  take(): WriteRequest[] {
    const taken = this.deltas;
    this.deltas = new Map();
    const batch = ulid();
    return [...taken]
      .filter(([, delta]) => delta !== 0)
      .map(([scope, delta]) => ({ PutRequest: { Item: { ...importCounterKey(scope, batch), count: delta } } }));
  }
}

/** A validated record, ready to store: its line in the source, the document and its lookup entries. */
export interface ImportedRecord {
  readonly line: number;
  readonly doc: CustomerDocument;
  readonly lookups: readonly string[];
  /** A restore from a backup: the version and write time the customer had, kept exactly (so its ETag is). */
  readonly restored?: { readonly version: number; readonly changedAt: string };
}

export interface RoundOptions {
  /**
   * Where the round's counts go, for the caller to write (`writeCounts`) when it chooses;
   * without it the round writes its own counter items after its customers.
   */
  readonly counts?: PendingCounts;
  /** Announce imported customers to hub listeners (default false: items are marked and skipped). */
  readonly notify?: boolean;
  /** Names the source; each customer item remembers the source and line that last wrote it. */
  readonly source?: string;
}

export interface RoundOutcome {
  imported: number;
  replaced: number;
  unchanged: number;
}

/** The stored customer was written by a later line of the same source: this line lost to it. */
function supersededInSource(current: StoredCustomer, source: string | undefined, line: number): boolean {
  if (!source || typeof current.importedFrom !== 'string') return false;
  const at = current.importedFrom.lastIndexOf('#');
  return current.importedFrom.slice(0, at) === source && Number(current.importedFrom.slice(at + 1)) > line;
}

export class CustomerImportWriter {
  constructor(
    /** The store the import reads stored versions from (and whose limits its records are checked against). */
    readonly store: CustomerStore,
    private readonly batchWriter: BatchWriter,
    /** Multi-Region: this Region, stamped on what the import writes. */
    private readonly writtenIn?: string,
  ) {}

  /**
   * Writes one round of distinct ids. A record equal to the stored customer is `unchanged` and
   * not written, so re-running a file changes nothing; a different record under an existing id
   * replaces it as a new version.
   */
  async writeRound(records: readonly ImportedRecord[], options: RoundOptions = {}): Promise<RoundOutcome> {
    const outcome: RoundOutcome = { imported: 0, replaced: 0, unchanged: 0 };
    const stored = new Map<string, StoredCustomer>(
      (
        await this.store.getCustomers(
          records.map((record) => record.doc.id),
          { consistent: true },
        )
      ).map((s) => [s.doc.id, s]),
    );
    const lookupWrites: WriteRequest[] = [];
    const customerWrites: WriteRequest[] = [];
    const pending = options.counts ?? new PendingCounts();
    for (const { doc, lookups, line, restored } of records) {
      const id = doc.id;
      const current = stored.get(id);
      const same = current !== undefined && isDeepStrictEqual(current.doc, doc);
      if (
        current &&
        (restored
          ? same && current.version === restored.version
          : same || supersededInSource(current, options.source, line))
      ) {
        outcome.unchanged += 1;
        continue;
      }
      const previous = current?.lookups ?? [];
      if (!current) pending.add(ALL_CUSTOMERS, 1);
      for (const entry of lookups) {
        if (previous.includes(entry)) continue;
        lookupWrites.push({ PutRequest: { Item: lookupItem(id, entry) } });
        pending.add(entry, 1);
      }
      for (const entry of previous) {
        if (lookups.includes(entry)) continue;
        lookupWrites.push({ DeleteRequest: { Key: { ...lookupItemKey(id, entry) } } });
        pending.add(entry, -1);
      }
      const version = restored?.version ?? (current?.version ?? 0) + 1;
      customerWrites.push({
        PutRequest: {
          Item: toCustomerItem(doc, version, lookups, {
            writtenByImport: !options.notify,
            ...(options.source ? { importedFrom: `${options.source}#${line}` } : {}),
            ...(restored ? { changedAt: new Date(restored.changedAt) } : {}),
            ...(this.writtenIn ? { writtenIn: this.writtenIn } : {}),
          }),
        },
      });
      if (current) outcome.replaced += 1;
      else outcome.imported += 1;
    }
    await this.batchWriter.write(lookupWrites);
    await this.batchWriter.write(customerWrites);
    if (!options.counts) await this.writeCounts(pending);
    return outcome;
  }

  /** Writes what is pending in `counts` as counter items, and forgets it. */
  async writeCounts(counts: PendingCounts): Promise<void> {
    await this.batchWriter.write(counts.take());
  }
}
