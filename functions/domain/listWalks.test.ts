import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { MemoryCustomerStore } from '../../test/support/memoryStores.js';
import { listCustomer } from './listCustomer.js';

/** Walks a list by its next cursors, as a client follows the next links. */
async function walk(store: MemoryCustomerStore, query: Record<string, string>, limit: number, countAhead: number) {
  const walked: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const params: Record<string, string[]> = {
      ...Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
      limit: [String(limit)],
      offset: [String(walked.length)],
      ...(cursor ? { cursor: [cursor] } : {}),
    };
    const page = await listCustomer(store, { maxQueryReadItems: 1_000_000, listCountAhead: countAhead }, params, {
      baseUrl: 'https://api.example.com/tmf-api/customerManagement/v4',
    });
    walked.push(...page.customers.map((customer) => customer.id as string));
    cursor = page.nextCursor(page.customers.length);
    if (!cursor) return walked;
  }
  throw new Error('the walk did not end');
}

describe('walking an indexed, filtered list by its cursors', () => {
  const store = new MemoryCustomerStore();
  const dees: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = ulid();
    store.seed({ id, name: ['Ada', 'Dee', 'Ada', 'Bob'][i % 4], '@type': 'Customer' });
    if (i % 4 === 1) dees.push(id);
  }
  dees.sort();

  // The read that fills a page may go on past it to matches it has no room for; the next page must
  // start after the page's last customer, not after the last one read (a walk once skipped six).
  it.each([
    [1, 0],
    [2, 0],
    [3, 0],
    [2, 3],
    [4, 6],
    [7, 0],
  ])('returns every match once, in order, with pages of %i and %i counted ahead', async (limit, countAhead) => {
    expect(await walk(store, { name: 'Dee,Ada', 'name.gt': 'Ada' }, limit, countAhead)).toEqual(dees);
  });
});
