import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdOrderedRuns, type RunReader } from './idOrderedRuns.js';

/** A run over sorted ids, read the way DynamoDB pages a Query after an id. */
function runOf(ids: readonly string[], reads: { items: number }): RunReader<string> {
  const sorted = [...ids].sort();
  return async (after, limit) => {
    const rest = sorted.filter((id) => after === undefined || id > after);
    const items = rest.slice(0, limit);
    reads.items += items.length;
    return { items, ended: rest.length <= limit };
  };
}

describe('IdOrderedRuns', () => {
  it('merges runs into one id-ordered stream without duplicates, from any position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { maxLength: 40 }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.stringMatching(/^[a-z]{1,3}$/), { nil: undefined }),
        fc.integer({ min: 1, max: 50 }),
        async (runs, after, wanted) => {
          const reads = { items: 0 };
          const merged = new IdOrderedRuns(
            runs.map((ids) => runOf(ids, reads)),
            (id) => id,
            after,
          );
          const taken: string[] = [];
          for (let id = await merged.next(wanted); id !== undefined; id = await merged.next(wanted)) taken.push(id);
          const expected = [...new Set(runs.flat())].filter((id) => after === undefined || id > after).sort();
          expect(taken).toEqual(expected);
        },
      ),
    );
  });

  it('reads about what a page takes, plus a small overhang per run', async () => {
    const ids = Array.from({ length: 8000 }, (_, n) => `id-${String(n).padStart(5, '0')}`);
    const reads = { items: 0 };
    const runs = Array.from({ length: 8 }, (_, shard) =>
      runOf(
        ids.filter((_, n) => n % 8 === shard),
        reads,
      ),
    );
    const merged = new IdOrderedRuns(runs, (id) => id, 'id-04000');
    const page: string[] = [];
    for (let taken = 0; taken < 100; taken++) page.push((await merged.next(100 - taken)) as string);
    expect(page[0]).toBe('id-04001');
    expect(page.at(-1)).toBe('id-04100');
    expect(reads.items).toBeLessThanOrEqual(100 * 1.5);
  });
});
