/**
 * listCustomer: chooses how to read a TMF630 query from the table, cheapest first, and where a
 * walk by `next` cursors resumes.
 *
 *   id=...                     BatchGetItem of the ids
 *   an indexed attribute=...   the lookup index (built-in and configured attributes): alone and
 *                              in id order, only the page is read and counts are kept counters
 *   nothing                    the list index's shards, merged in id order: only the page is read
 *   sort=...                   every match is read and sorted (bounded: too many is a 400)
 *   anything else              the list index's shards (customer items only), read in parallel and
 *                              merged in id order, until the page is full
 *
 * Without `sort`, lists come in id order. A cursor resumes after the last customer of the page
 * (in sort or id order), so a page costs the same at any depth; a plain `offset` skips from the
 * start.
 */
import { QueryTooBroadError } from '../errors.js';
import { countExamined } from '../readStats.js';
import { isCustomerIdShape, lookupEntry, type LookupAttribute } from './lookupAttributes.js';
import { attributeTypeOf } from './attributes.js';
import { project } from './fields.js';
import { matchesFilter, prepareFilter, type Condition } from './filter.js';
import { openCursor, sealCursor, type ListPosition } from './listCursor.js';
import { parseListQuery, type ListQuery, type QueryParams } from './listQuery.js';
import type { CustomerStore, StoredCustomer } from './ports.js';
import { represent, type ResourceContext } from './representation.js';
import { compareSortPositions, sortPositionOf, type SortPosition } from './sort.js';

/** How far one list request may read (from the deployment's configuration). */
export interface ListSettings {
  /** The most customers one request may read for a filter no index narrows (MAX_QUERY_READ_ITEMS). */
  readonly maxQueryReadItems: number;
  /** Customers examined past a full page to count the matches of a filter no index serves (LIST_COUNT_AHEAD). */
  readonly listCountAhead: number;
}

/** What one list request works with: the store, the limits, the caller's URL and deadline. */
interface ListRun {
  readonly store: CustomerStore;
  readonly settings: ListSettings;
  readonly context: ResourceContext;
}

/** Items read per index partition while counting the matches that follow a page. */
const COUNT_PAGE = 1000;
/** Ids fetched per BatchGetItem when an index narrows a filter that still needs the documents. */
const FETCH_CHUNK = 100;

export interface CustomerPage {
  readonly customers: Record<string, unknown>[];
  /** All customers matching the query, whatever the page; undefined when a scan could not count them all. */
  readonly totalCount: number | undefined;
  readonly offset: number;
  readonly limit: number;
  /** The cursor of the page after the first `held` customers of this one, or undefined if none follows. */
  readonly nextCursor: (held: number) => string | undefined;
}

/** What an access path collected: the page (represented, before `fields`), and where a walk goes on. */
interface Collected {
  readonly resources: Record<string, unknown>[];
  /** The position after each resource of the page. */
  readonly after: ListPosition[];
  /** The position after everything the page examined, or undefined when nothing follows the page. */
  readonly resume: ListPosition | undefined;
  readonly totalCount: number | undefined;
}

export async function listCustomer(
  store: CustomerStore,
  settings: ListSettings,
  params: QueryParams,
  context: ResourceContext,
): Promise<CustomerPage> {
  const run: ListRun = { store, settings, context };
  const query = parseListQuery(params);
  await prepareFilter(query.filter);
  const start =
    query.cursor === undefined
      ? undefined
      : openCursor(await store.cursorKey(), query.cursor, {
          fingerprint: query.fingerprint,
          offset: query.offset,
          sortKeys: query.sort.length,
        });
  const collected = await collect(run, query, start?.after);
  const { resources, after, resume } = collected;
  // Only a page something may follow needs the key (cut short by size, or with more after it).
  const key = resume !== undefined || resources.length > 1 ? await store.cursorKey() : undefined;
  return {
    customers: resources.map((resource) => project(resource, query.fields)),
    totalCount: collected.totalCount,
    offset: query.offset,
    limit: query.limit,
    nextCursor: (held) => {
      const position = held > 0 && held < resources.length ? after[held - 1] : resume;
      if (!position || !key) return undefined;
      return sealCursor(key, position, { fingerprint: query.fingerprint, offset: query.offset + held });
    },
  };
}

async function collect(run: ListRun, query: ListQuery, start: SortPosition | undefined): Promise<Collected> {
  const { store } = run;
  const idCondition = query.filter.find((c) => c.attribute === 'id' && c.operator === 'eq');
  if (idCondition) {
    const ids = [...new Set(idCondition.values.map((v) => v.raw).filter(isCustomerIdShape))].sort();
    return inMemory(run, query, start, async (add) => add(await store.getCustomers(ids)));
  }
  const indexed = await cheapestIndexedCondition(store, query.filter);
  if (indexed && query.sort.length > 0) {
    const budget = readBudget(run, `${indexed.condition.attribute} matches more customers`);
    return inMemory(run, query, start, async (add) => {
      for (const entry of indexed.entries) {
        await store.forEachCustomerWithLookup(entry, (batch) => {
          budget(batch.length);
          add(batch);
        });
      }
    });
  }
  if (indexed) return indexedPage(run, query, start?.id, indexed);
  if (query.filter.length === 0 && query.sort.length === 0) return unfilteredPage(run, query, start?.id);
  if (query.sort.length > 0) {
    const budget = readBudget(run, 'sorting reads every match, and the table holds more customers');
    return inMemory(run, query, start, (add) =>
      store.forEachCustomer((batch) => {
        budget(batch.length);
        add(batch);
      }),
    );
  }
  return filteredPage(run, query, start?.id);
}

const afterId = (id: string): ListPosition => ({ after: { values: [], id } });

/**
 * Reads every candidate, keeps the first offset+limit matches after `start` in sort order (memory
 * stays bounded), and counts every match.
 */
async function inMemory(
  run: ListRun,
  query: ListQuery,
  start: SortPosition | undefined,
  read: (add: (customers: StoredCustomer[]) => void) => Promise<void>,
): Promise<Collected> {
  const skip = start ? 0 : query.offset;
  const keep = skip + query.limit;
  const positionOf = (resource: Record<string, unknown>) => sortPositionOf(resource, query.sort);
  const compare = (a: SortPosition, b: SortPosition) => compareSortPositions(a, b, query.sort);
  let kept: { resource: Record<string, unknown>; position: SortPosition }[] = [];
  const seen = new Set<string>();
  let matched = 0;
  let matchedAfterStart = 0;
  const trim = () => {
    kept.sort((a, b) => compare(a.position, b.position));
    kept = kept.slice(0, keep);
  };
  await read((customers) => {
    for (const stored of customers) {
      const resource = represent(stored, run.context);
      const id = resource.id as string;
      if (seen.has(id) || !matchesFilter(resource, query.filter)) continue;
      seen.add(id);
      matched += 1;
      const position = positionOf(resource);
      if (start && compare(position, start) <= 0) continue;
      matchedAfterStart += 1;
      if (keep === 0) continue;
      kept.push({ resource, position });
      if (kept.length >= 2 * keep + 256) trim();
    }
  });
  trim();
  const page = kept.slice(skip, skip + query.limit);
  const after = page.map(({ position }): ListPosition => ({ after: position }));
  return {
    resources: page.map(({ resource }) => resource),
    after,
    resume: matchedAfterStart > skip + page.length ? after.at(-1) : undefined,
    totalCount: matched,
  };
}

/** Only equality on one indexed attribute, in id order: the page's ids from the index, then the page. */
async function lookupOnlyPage(
  run: ListRun,
  query: ListQuery,
  startId: string | undefined,
  indexed: IndexedCondition,
): Promise<Collected> {
  const skip = startId === undefined ? query.offset : 0;
  const runs = run.store.idsWithLookups(indexed.entries, startId);
  const guard = readBudget(run, `offset ${query.offset} is deep; follow the next links instead`);
  const { taken: ids, consumed } = await runs.skipAndTake(skip, query.limit, () => guard(1));
  const more = (await runs.peek()) !== undefined;
  // From the start to the end of the index: every match was read, the count needs no counters.
  const totalCount = startId === undefined && !more ? consumed : await countMatches(run.store, indexed, guard);
  const customers = await run.store.getCustomers(ids);
  const resources = customers.map((stored) => represent(stored, run.context));
  const after = resources.map((resource) => afterId(resource.id as string));
  return {
    resources,
    after,
    resume: more && ids.length > 0 ? afterId(ids.at(-1) as string) : undefined,
    totalCount,
  };
}

/** Customers holding any of the condition's values, by the kept counters (a union when values may overlap). */
async function countMatches(store: CustomerStore, indexed: IndexedCondition, guard: ReadGuard): Promise<number> {
  if (!indexed.multiValued || indexed.entries.length === 1) {
    const counts = await Promise.all(indexed.entries.map((entry) => store.countCustomers(entry)));
    return counts.reduce((sum, count) => sum + count, 0);
  }
  const runs = store.idsWithLookups(indexed.entries, undefined);
  let count = 0;
  while ((await runs.next(1000)) !== undefined) {
    guard(1);
    count += 1;
  }
  return count;
}

/**
 * An indexed condition and others, in id order: ids from the index, documents in chunks, the
 * other conditions in memory.
 */
async function indexedPage(
  run: ListRun,
  query: ListQuery,
  startId: string | undefined,
  indexed: IndexedCondition,
): Promise<Collected> {
  if (query.filter.length === 1) return lookupOnlyPage(run, query, startId, indexed);
  const runs = run.store.idsWithLookups(indexed.entries, startId);
  const fetched = async (ids: string[]) => {
    const byId = new Map((await run.store.getCustomers(ids)).map((stored) => [stored.doc.id as string, stored]));
    // A customer deleted since the index was read is examined as gone.
    return ids.map((id) => ({ id, stored: byId.get(id) }));
  };
  return walkInIdOrder(run, query, startId !== undefined, {
    async next(wanted) {
      const ids: string[] = [];
      while (ids.length < Math.min(wanted, FETCH_CHUNK)) {
        const id = await runs.next(wanted - ids.length);
        if (id === undefined) break;
        ids.push(id);
      }
      return fetched(ids);
    },
    async rest(size) {
      return fetched(await runs.takeAll(size));
    },
  });
}

/** No filter, no sort: the list index's shards merged in id order; the count is the kept counter. */
async function unfilteredPage(run: ListRun, query: ListQuery, startId: string | undefined): Promise<Collected> {
  const skip = startId === undefined ? query.offset : 0;
  const runs = run.store.customersInIdOrder(startId);
  const totalCount = run.store.countCustomers();
  const guard = readBudget(run, `offset ${query.offset} is deep; follow the next links instead`);
  // A deep offset past the end has nothing to read; the first page reads while it counts.
  const reads = query.limit > 0 && !(skip > 0 && skip >= (await totalCount));
  const { taken: page } = reads ? await runs.skipAndTake(skip, query.limit, () => guard(1)) : { taken: [] };
  const more = reads && (await runs.peek()) !== undefined;
  const resources = page.map((stored) => represent(stored, run.context));
  const after = resources.map((resource) => afterId(resource.id as string));
  return { resources, after, resume: more ? after.at(-1) : undefined, totalCount: await totalCount };
}

/**
 * A filter no index serves, without sort: the list index's shards (customer items only, read in
 * parallel) merged in id order, the filter in memory, until the page is full.
 */
function filteredPage(run: ListRun, query: ListQuery, startId: string | undefined): Promise<Collected> {
  const runs = run.store.customersInIdOrder(startId);
  const examined = (customers: StoredCustomer[]) =>
    customers.map((stored) => ({ id: stored.doc.id as string, stored }));
  return walkInIdOrder(run, query, startId !== undefined, {
    async next(wanted) {
      const stored = await runs.next(wanted);
      return stored ? examined([stored]) : [];
    },
    async rest(size) {
      return examined(await runs.takeAll(size));
    },
  });
}

interface Candidate {
  readonly id: string;
  /** Undefined when the customer is gone. */
  readonly stored: StoredCustomer | undefined;
}

interface CandidateSource {
  /** The next candidates in id order (about `wanted` of them; none at the end). */
  next(wanted: number): Promise<Candidate[]>;
  /** Every candidate read ahead, or the next pages of `size`, in any order (none at the end): for counting. */
  rest(size: number): Promise<Candidate[]>;
}

/**
 * Fills a page in id order: skips `offset` matches (without a cursor), keeps `limit`, then counts
 * on, in bulk, within LIST_COUNT_AHEAD customers; when that reaches the end, X-Total-Count is
 * exact. The deadline stops it early with what it found, and a cursor that resumes after the last
 * customer it examined.
 */
async function walkInIdOrder(
  run: ListRun,
  query: ListQuery,
  fromCursor: boolean,
  source: CandidateSource,
): Promise<Collected> {
  const skip = fromCursor ? 0 : query.offset;
  const { context, settings } = run;
  const deadline = context.deadline ?? Number.POSITIVE_INFINITY;
  const resources: Record<string, unknown>[] = [];
  let matched = 0;
  let examined = 0;
  let lastExamined: string | undefined;
  const matches = ({ stored }: Candidate) => {
    if (!stored) return undefined;
    const resource = represent(stored, context);
    return matchesFilter(resource, query.filter) ? resource : undefined;
  };
  const stoppedEarly = (): Collected => ({
    resources,
    after: resources.map((resource) => afterId(resource.id as string)),
    resume: lastExamined === undefined ? undefined : afterId(lastExamined),
    totalCount: undefined,
  });

  // Fill the page, in id order.
  while (resources.length < query.limit || matched < skip) {
    if (examined > 0 && Date.now() > deadline) {
      if (matched < skip) {
        throw new QueryTooBroadError(
          `offset ${query.offset} could not be reached in time; follow the next links instead of a deep offset`,
        );
      }
      return stoppedEarly();
    }
    // About how many to read for what is still needed, from the share of matches seen so far.
    const needed = skip + query.limit - matched;
    const wanted = Math.min(1000, Math.ceil((needed * (examined + 8)) / (matched + 1)));
    const candidates = await source.next(wanted);
    countExamined(candidates.length);
    if (candidates.length === 0) return ended();
    for (const candidate of candidates) {
      examined += 1;
      lastExamined = candidate.id;
      const resource = matches(candidate);
      if (!resource) continue;
      matched += 1;
      if (matched > skip && resources.length < query.limit) resources.push(resource);
    }
  }
  const pageEnd = lastExamined;

  // Count what follows the page, within the budget.
  const counted = new Set<string>();
  let pastPage = 0;
  while (pastPage < settings.listCountAhead && Date.now() <= deadline) {
    const candidates = await source.rest(COUNT_PAGE);
    countExamined(candidates.length);
    if (candidates.length === 0) return ended();
    for (const candidate of candidates) {
      if (counted.has(candidate.id)) continue;
      counted.add(candidate.id);
      pastPage += 1;
      if (matches(candidate)) matched += 1;
    }
  }
  return {
    resources,
    after: resources.map((resource) => afterId(resource.id as string)),
    resume: pageEnd === undefined ? undefined : afterId(pageEnd),
    totalCount: undefined,
  };

  /** Every candidate was examined: the count is exact, and a next page exists only if matches follow. */
  function ended(): Collected {
    const after = resources.map((resource) => afterId(resource.id as string));
    return {
      resources,
      after,
      resume: matched > skip + resources.length ? after.at(-1) : undefined,
      totalCount: (fromCursor ? query.offset : 0) + matched,
    };
  }
}

type ReadGuard = (items: number) => void;

/** Stops a read that would go past the item budget or the request's deadline. */
function readBudget(run: ListRun, why: string): ReadGuard {
  const deadline = run.context.deadline ?? Number.POSITIVE_INFINITY;
  const { maxQueryReadItems } = run.settings;
  let read = 0;
  const indexed = ['id', ...run.store.lookupAttributes.map((a) => a.attribute)].join(', ');
  return (items) => {
    read += items;
    if (read > maxQueryReadItems) {
      throw new QueryTooBroadError(
        `This query would read more than ${maxQueryReadItems} customers (${why}); narrow it with an equality filter on an indexed attribute: ${indexed}`,
      );
    }
    if (Date.now() > deadline) {
      throw new QueryTooBroadError(
        `This query could not be answered in time after reading ${read} customers (${why}); narrow it with an equality filter on an indexed attribute: ${indexed}`,
      );
    }
  };
}

interface IndexedCondition {
  readonly condition: Condition;
  readonly entries: string[];
  readonly multiValued: boolean;
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

async function usableLookup(store: CustomerStore, condition: Condition): Promise<LookupAttribute | undefined> {
  if (condition.operator !== 'eq') return undefined;
  const lookup = store.lookupAttributes.find((candidate) => candidate.attribute === condition.attribute);
  if (!lookup || !condition.values.every((value) => indexable(lookup, value.raw))) return undefined;
  if (!lookup.builtIn && !(await store.activeConfiguredAttributes()).has(lookup.attribute)) return undefined;
  return lookup;
}

/** Of the equality conditions on indexed attributes, the one matching the fewest customers. */
async function cheapestIndexedCondition(
  store: CustomerStore,
  filter: readonly Condition[],
): Promise<IndexedCondition | undefined> {
  const candidates: IndexedCondition[] = [];
  for (const condition of filter) {
    const lookup = await usableLookup(store, condition);
    if (!lookup) continue;
    const entries = [...new Set(condition.values.map((value) => lookupEntry(lookup.attribute, value.raw)))];
    candidates.push({ condition, entries, multiValued: lookup.multiValued });
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
