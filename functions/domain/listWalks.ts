/**
 * How a list request reads once its access path is chosen (listCustomer.ts): every candidate in
 * memory, kept sorted and bounded (for `sort`), or a walk in id order that fills the page and
 * counts what follows within LIST_COUNT_AHEAD; both stopped by the item budget and the deadline.
 */
import { QueryTooBroadError } from '../errors.js';
import { countExamined } from '../readStats.js';
import { matchesFilter } from './filter.js';
import type { ListPosition } from './listCursor.js';
import type { ListQuery } from './listQuery.js';
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
export interface ListRun {
  readonly store: CustomerStore;
  readonly settings: ListSettings;
  readonly context: ResourceContext;
}

/** Items read per index partition while counting the matches that follow a page. */
export const COUNT_PAGE = 1000;

/** What an access path collected: the page (represented, before `fields`), and where a walk goes on. */
export interface Collected {
  readonly resources: Record<string, unknown>[];
  /** The position after each resource of the page. */
  readonly after: ListPosition[];
  /** The position after everything the page examined, or undefined when nothing follows the page. */
  readonly resume: ListPosition | undefined;
  readonly totalCount: number | undefined;
}

export const afterId = (id: string): ListPosition => ({ after: { values: [], id } });

/**
 * Reads every candidate, keeps the first offset+limit matches after `start` in sort order (memory
 * stays bounded), and counts every match.
 */
export async function inMemory(
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

export interface Candidate {
  readonly id: string;
  /** Undefined when the customer is gone. */
  readonly stored: StoredCustomer | undefined;
}

export interface CandidateSource {
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
export async function walkInIdOrder(
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
  // The page is full: the next one starts after its last customer, not after the last one
  // examined, since the read that filled it may have gone on to matches this page had no room for.
  const after = resources.map((resource) => afterId(resource.id as string));
  return { resources, after, resume: after.at(-1), totalCount: undefined };

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

export type ReadGuard = (items: number) => void;

/** Stops a read that would go past the item budget or the request's deadline. */
export function readBudget(run: ListRun, why: string): ReadGuard {
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
