/**
 * Recomputes every kept count (all customers, and customers per indexed value) from the customer
 * items themselves, and repairs the counter shards that disagree. Used at the end of a bulk
 * import and by `npm run recount` at any time. A bulk import counts as it writes (counter items
 * of its own, importCustomers.ts), so after an import that nothing raced the recount is one
 * projected scan that corrects nothing; it then folds the import counter items of the counts
 * that gathered many (all customers, a status, after several imports) into one shard, so reading
 * a count stays one small Query.
 *
 * It never overwrites a count: it ADDs the difference between what it counted and what the
 * shards hold when it corrects them, so a create or delete that lands on a shard meanwhile is
 * kept. A write that races the scan itself can still leave a count off by the writes in that
 * window; each pass repairs what the previous one could not see, and passes repeat (at most
 * `maxPasses`) until one finds nothing to correct.
 */
import pLimit from 'p-limit';
import type { DynamoMaintenanceStore } from '../repository/maintenanceStore.js';
import { ALL_CUSTOMERS, isImportCounterSk } from '../repository/customerTable.js';

/** Counts corrected, or counts folded, at once. */
const PARALLEL_COUNTS = 8;

export interface RecountOptions {
  readonly segments?: number;
  readonly maxPasses?: number;
  /** Fold the import counter items of a count holding more than this many (default FOLD_AFTER_ROUNDS). */
  readonly foldAfter?: number;
  /** Called with the customers counted so far in the current pass. */
  readonly onProgress?: (customers: number, pass: number) => void;
}

export interface RecountSummary {
  /** Customers counted in the last pass. */
  readonly customers: number;
  /** Distinct counts checked (all, and one per indexed value). */
  readonly scopes: number;
  /** Counts corrected, over all passes. */
  readonly corrected: number;
  readonly passes: number;
  /** Import-round counter items folded into shards. */
  readonly folded: number;
}

/**
 * A count with more import counter items than this has them folded into a shard. Up to here its
 * partition fits in one 4 KB read (a count is read with one strongly consistent Query: 1 RCU), so
 * folding earlier would cost writes and save nothing.
 */
export const FOLD_AFTER_ROUNDS = 32;

/** One parallel scan: what the customer items say, and what the counter shards hold. */
async function tally(store: DynamoMaintenanceStore, options: RecountOptions, pass: number) {
  const truth = new Map<string, number>([[ALL_CUSTOMERS, 0]]);
  const held = new Map<string, number>();
  const importRounds = new Map<string, number>();
  const add = (counts: Map<string, number>, scope: string, n: number) =>
    counts.set(scope, (counts.get(scope) ?? 0) + n);
  await store.forEachCountSource(({ customerLookups, shards }) => {
    for (const lookups of customerLookups) {
      add(truth, ALL_CUSTOMERS, 1);
      for (const entry of lookups) add(truth, entry, 1);
    }
    for (const { scope, sk, count } of shards) {
      add(held, scope, count);
      if (isImportCounterSk(sk)) add(importRounds, scope, 1);
    }
    options.onProgress?.(truth.get(ALL_CUSTOMERS) ?? 0, pass);
  }, options.segments);
  return { truth, held, importRounds };
}

export async function recountCustomers(
  store: DynamoMaintenanceStore,
  options: RecountOptions = {},
): Promise<RecountSummary> {
  const limit = pLimit(PARALLEL_COUNTS);
  const maxPasses = options.maxPasses ?? 3;
  let corrected = 0;
  let customers = 0;
  let scopes = 0;
  let pass = 1;
  const foldAfter = options.foldAfter ?? FOLD_AFTER_ROUNDS;
  let manyRounds: string[] = [];
  for (; pass <= maxPasses; pass++) {
    const { truth, held, importRounds } = await tally(store, options, pass);
    manyRounds = [...importRounds].filter(([, rounds]) => rounds > foldAfter).map(([scope]) => scope);
    customers = truth.get(ALL_CUSTOMERS) ?? 0;
    const allScopes = new Set([...truth.keys(), ...held.keys()]);
    scopes = allScopes.size;
    const suspects = [...allScopes].filter((scope) => (truth.get(scope) ?? 0) !== (held.get(scope) ?? 0));
    // A count the scan found no shard of (every value a bulk import brought in is one) is written
    // whole, 25 to a call; one a concurrent write gave a shard meanwhile is set right by the next pass.
    const fresh = suspects.filter((scope) => !held.has(scope));
    await store.writeNewCounts(fresh.map((scope) => [scope, truth.get(scope) ?? 0] as const));
    let correctedThisPass = fresh.length;
    const existing = suspects.filter((scope) => held.has(scope));
    await Promise.all(
      existing.map((scope) =>
        limit(async () => {
          // The scan saw the shards at some moment; correct against what they hold now.
          const delta = (truth.get(scope) ?? 0) - (await store.countCustomers(scope));
          if (delta === 0) return;
          await store.addToCount(scope, delta);
          correctedThisPass += 1;
        }),
      ),
    );
    corrected += correctedThisPass;
    if (correctedThisPass === 0) break;
  }
  // Folding keeps every sum as it is, so it needs no further pass to check.
  let folded = 0;
  await Promise.all(
    manyRounds.map((scope) =>
      limit(async () => {
        // Awaited first: `folded += await ...` would read `folded` before the wait and lose other workers' adds.
        const foldedNow = await store.foldImportCounts(scope, await store.importCountsOf(scope));
        folded += foldedNow;
      }),
    ),
  );
  return { customers, scopes, corrected, passes: Math.min(pass, maxPasses), folded };
}
