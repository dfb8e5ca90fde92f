/**
 * listCustomer: chooses how to read a TMF630 query from the table, cheapest first.
 *
 *   id=...                     BatchGetItem of the ids
 *   an indexed attribute=...   the lookup index (name, engagedParty.id, status, email, phone);
 *                              alone and in id order: only the page is read, counts are kept counters
 *   nothing                    the creation-order index: offset+limit keys, then the page
 *   anything else              a parallel Scan, bounded by MAX_QUERY_READ_ITEMS
 *
 * Every other condition, and any sort, is applied in memory to what the access path read, keeping
 * only the best offset+limit matches so memory stays bounded.
 */
import { config } from '../config.js';
import { QueryTooBroadError } from '../errors.js';
import * as repository from '../repository/customerRepository.js';
import {
  isCustomerIdShape,
  lookupAttributeOf,
  lookupAttributes,
  lookupEntry,
  type StoredCustomer,
} from '../repository/customerTable.js';
import { project } from './fields.js';
import { matchesFilter, prepareFilter, type Condition } from './filter.js';
import { parseListQuery, type ListQuery, type QueryParams } from './listQuery.js';
import { represent, type ResourceContext } from './representation.js';
import { comparatorOf, type Comparator } from './sort.js';

/** The most customers one list request may read to answer a filter no index narrows. */
const { maxQueryReadItems } = config();

export interface CustomerPage {
  readonly customers: Record<string, unknown>[];
  /** All customers matching the query, whatever the page. */
  readonly totalCount: number;
  readonly offset: number;
  readonly limit: number;
}

/** Keeps the first `keep` matches in sort order, and counts all of them. */
class PageCollector {
  private items: Record<string, unknown>[] = [];
  private readonly seen = new Set<string>();
  matched = 0;

  constructor(
    private readonly compare: Comparator,
    private readonly keep: number,
  ) {}

  add(resource: Record<string, unknown>): void {
    const id = resource.id as string;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.matched += 1;
    if (this.keep === 0) return;
    this.items.push(resource);
    if (this.items.length >= 2 * this.keep + 256) this.trim();
  }

  private trim(): void {
    this.items.sort(this.compare);
    this.items.length = Math.min(this.items.length, this.keep);
  }

  page(offset: number, limit: number): Record<string, unknown>[] {
    this.trim();
    return this.items.slice(offset, offset + limit);
  }
}

function sortedUnique(ids: string[]): string[] {
  return [...new Set(ids)].sort();
}

export async function listCustomer(params: QueryParams, context: ResourceContext): Promise<CustomerPage> {
  const query = parseListQuery(params);
  await prepareFilter(query.filter);
  const { offset, limit, fields } = query;
  const shown = (customers: Record<string, unknown>[]) => customers.map((customer) => project(customer, fields));
  const result = (customers: Record<string, unknown>[], totalCount: number): CustomerPage => ({
    customers: shown(customers),
    totalCount,
    offset,
    limit,
  });

  const idCondition = query.filter.find((c) => c.attribute === 'id' && c.operator === 'eq');
  if (idCondition) {
    const ids = sortedUnique(idCondition.values.map((v) => v.raw).filter(isCustomerIdShape));
    const collector = collect(query, context, await repository.getCustomers(ids));
    return result(collector.page(offset, limit), collector.matched);
  }

  const indexed = await cheapestIndexedCondition(query.filter);
  if (indexed) {
    const { condition, entries, multiValued } = indexed;
    if (query.filter.length === 1 && query.sort.length === 0) {
      // Only the indexed condition, in id order: read the page's ids, then the page.
      const wanted = offset + limit;
      const guard = readBudget(`offset ${offset} is deep`, context.deadline);
      const perEntry = await Promise.all(entries.map((entry) => repository.lookupCustomerIds(entry, wanted, guard)));
      const ids = sortedUnique(perEntry.flat());
      let totalCount: number;
      if (perEntry.every((list) => list.length < wanted)) {
        totalCount = ids.length; // every match was read: the count is exact without the counters
      } else if (!multiValued || entries.length === 1) {
        totalCount = await estimate(entries);
      } else {
        // ORed values of a multi-valued attribute may share customers: count the union.
        totalCount = sortedUnique(
          (await Promise.all(entries.map((entry) => repository.lookupCustomerIds(entry, undefined, guard)))).flat(),
        ).length;
      }
      const customers = await repository.getCustomers(ids.slice(offset, wanted));
      return result(
        customers.map((stored) => represent(stored, context)),
        totalCount,
      );
    }
    const collector = new PageCollector(comparatorOf(query.sort), offset + limit);
    const budget = readBudget(`${condition.attribute} matches more customers`, context.deadline);
    for (const entry of entries) {
      await repository.forEachCustomerWithLookup(entry, (batch) => {
        budget(batch.length);
        addMatches(collector, query, context, batch);
      });
    }
    return result(collector.page(offset, limit), collector.matched);
  }

  if (query.filter.length === 0 && query.sort.length === 0) {
    const readIds = () =>
      repository.listCustomerIds(offset + limit, readBudget(`offset ${offset} is deep`, context.deadline));
    let totalCount: number;
    let ids: string[] = [];
    if (offset === 0) {
      // The first page: count and read at once.
      [totalCount, ids] = await Promise.all([
        repository.countCustomers(),
        limit === 0 ? Promise.resolve([]) : readIds(),
      ]);
    } else {
      // Past the end there is nothing to read; a deep offset reads index keys within the budget.
      totalCount = await repository.countCustomers();
      if (limit > 0 && offset < totalCount) ids = await readIds();
    }
    const customers = await repository.getCustomers(ids.slice(offset));
    return result(
      customers.map((stored) => represent(stored, context)),
      totalCount,
    );
  }

  const collector = new PageCollector(comparatorOf(query.sort), offset + limit);
  const budget = readBudget('the table holds more customers', context.deadline);
  await repository.forEachCustomer((batch) => {
    budget(batch.length);
    addMatches(collector, query, context, batch);
  });
  return result(collector.page(offset, limit), collector.matched);
}

function collect(query: ListQuery, context: ResourceContext, stored: StoredCustomer[]): PageCollector {
  const collector = new PageCollector(comparatorOf(query.sort), query.offset + query.limit);
  addMatches(collector, query, context, stored);
  return collector;
}

function addMatches(
  collector: PageCollector,
  query: ListQuery,
  context: ResourceContext,
  stored: StoredCustomer[],
): void {
  for (const one of stored) {
    const resource = represent(one, context);
    if (matchesFilter(resource, query.filter)) collector.add(resource);
  }
}

/** Stops a read that would go past the item budget or the request's deadline. */
function readBudget(why: string, deadline = Number.POSITIVE_INFINITY): (items: number) => void {
  let read = 0;
  const indexed = ['id', ...lookupAttributes.map((a) => a.attribute)].join(', ');
  return (items) => {
    read += items;
    if (read > maxQueryReadItems) {
      throw new QueryTooBroadError(
        `This query would read more than ${maxQueryReadItems} customers (${why}); narrow it with an equality filter on an indexed attribute: ${indexed}`,
      );
    }
    if (Date.now() > deadline) {
      throw new QueryTooBroadError(
        `This query could not be answered in time after reading ${read} customers; narrow it with an equality filter on an indexed attribute: ${indexed}`,
      );
    }
  };
}

interface IndexedCondition {
  readonly condition: Condition;
  readonly entries: string[];
  /**
   * Customers holding any of the entries, by the counters; read only when there were several
   * indexed conditions to choose from.
   */
  readonly estimate?: number;
  readonly multiValued: boolean;
}

async function estimate(entries: readonly string[]): Promise<number> {
  const counts = await Promise.all(entries.map((entry) => repository.countCustomers(entry)));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** Of the equality conditions on indexed attributes, the one matching the fewest customers. */
async function cheapestIndexedCondition(filter: readonly Condition[]): Promise<IndexedCondition | undefined> {
  const candidates = filter.flatMap((condition) => {
    const lookup = condition.operator === 'eq' ? lookupAttributeOf(condition.attribute) : undefined;
    if (!lookup) return [];
    const entries = [...new Set(condition.values.map((value) => lookupEntry(lookup.attribute, value.raw)))];
    return [{ condition, entries, multiValued: lookup.multiValued }];
  });
  if (candidates.length <= 1) return candidates[0];
  const estimated = await Promise.all(
    candidates.map(async (candidate) => ({ ...candidate, estimate: await estimate(candidate.entries) })),
  );
  return estimated.sort((a, b) => a.estimate - b.estimate)[0];
}
