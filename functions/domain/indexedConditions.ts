/**
 * Which equality condition an index serves best: built-in lookup attributes always, configured
 * ones once their backfill is done, and only values the index holds as equality compares them;
 * of several, the one the kept counts say matches the fewest customers.
 */
import { attributeTypeOf } from './attributes.js';
import type { Condition } from './filter.js';
import { lookupEntry, type LookupAttribute } from './lookupAttributes.js';
import type { CustomerStore } from './ports.js';

export interface IndexedCondition {
  readonly condition: Condition;
  readonly entries: string[];
  readonly multiValued: boolean;
  /** The index holds a superset of the matches (a condition on another view's attribute). */
  readonly narrowsOnly: boolean;
}

/**
 * Whether the index holds this value the way equality compares it: numbers and booleans are
 * indexed as JSON writes them, so `90.0` or `1e2` must be compared by reading the documents.
 */
function indexable(attribute: LookupAttribute, raw: string): boolean {
  const type = attributeTypeOf(attribute.attribute);
  if (type === 'string' || type === undefined) return true;
  const number = raw.trim() === '' ? Number.NaN : Number(raw);
  return !Number.isFinite(number) || String(number) === raw;
}

async function usableLookup(
  store: CustomerStore,
  condition: Condition,
  attribute: string | undefined,
): Promise<LookupAttribute | undefined> {
  if (condition.operator !== 'eq' || attribute === undefined) return undefined;
  const lookup = store.lookupAttributes.find((candidate) => candidate.attribute === attribute);
  if (!lookup || !condition.values.every((value) => indexable(lookup, value.raw))) return undefined;
  if (!lookup.builtIn && !(await store.activeConfiguredAttributes()).has(lookup.attribute)) return undefined;
  return lookup;
}

/** Of the equality conditions on indexed attributes, the one matching the fewest customers. */
export async function cheapestIndexedCondition(
  store: CustomerStore,
  filter: readonly Condition[],
  /** For another view than v4's: the stored path an index keeps for one of its attributes. */
  indexedPathOf?: (attribute: string) => string | undefined,
): Promise<IndexedCondition | undefined> {
  const candidates: IndexedCondition[] = [];
  for (const condition of filter) {
    const lookup = await usableLookup(
      store,
      condition,
      indexedPathOf ? indexedPathOf(condition.attribute) : condition.attribute,
    );
    if (!lookup) continue;
    const entries = [...new Set(condition.values.map((value) => lookupEntry(lookup.attribute, value.raw)))];
    candidates.push({ condition, entries, multiValued: lookup.multiValued, narrowsOnly: !!indexedPathOf });
  }
  if (candidates.length <= 1) return candidates[0];
  const estimated = await Promise.all(
    candidates.map(async (candidate) => {
      const counts = await Promise.all(candidate.entries.map((entry) => store.countCustomers(entry)));
      return { candidate, estimate: counts.reduce((sum, count) => sum + count, 0) };
    }),
  );
  return estimated.sort((a, b) => a.estimate - b.estimate)[0]?.candidate;
}
