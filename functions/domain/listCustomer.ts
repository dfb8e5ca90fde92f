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
import { project } from './fields.js';
import { prepareFilter } from './filter.js';
import { cheapestIndexedCondition, type IndexedCondition } from './indexedConditions.js';
import { openCursor, sealCursor } from './listCursor.js';
import { parseListQuery, type ListQuery, type QueryParams } from './listQuery.js';
import {
  afterId,
  inMemory,
  readBudget,
  walkInIdOrder,
  type Collected,
  type ListRun,
  type ReadGuard,
} from './listWalks.js';
import { isCustomerIdShape } from './lookupAttributes.js';
import type { CustomerStore, StoredCustomer } from './ports.js';
import { represent, type ResourceContext } from './representation.js';
import type { SortPosition } from './sort.js';

import type { ListSettings } from './listWalks.js';

export type { ListSettings } from './listWalks.js';

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

export async function listCustomer(
  store: CustomerStore,
  settings: ListSettings,
  params: QueryParams,
  context: ResourceContext,
): Promise<CustomerPage> {
  const run: ListRun = { store, settings, context };
  const query = parseListQuery(params, context.view?.attributeTypes);
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
  const indexed = await cheapestIndexedCondition(store, query.filter, run.context.view?.indexedPathOf);
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
  // Through another view, the index only narrows: each customer read is checked against the filter.
  if (query.filter.length === 1 && !indexed.narrowsOnly) return lookupOnlyPage(run, query, startId, indexed);
  const runs = run.store.idsWithLookups(indexed.entries, startId);
  const fetched = async (ids: string[]) => {
    const byId = new Map((await run.store.getCustomers(ids)).map((stored) => [stored.doc.id, stored]));
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
  const examined = (customers: StoredCustomer[]) => customers.map((stored) => ({ id: stored.doc.id, stored }));
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
