import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, and with jitter stays below that', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, { baseMs: 500, capMs: 4000 }))).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 1000 }), (attempt, baseMs) => {
        const capMs = baseMs * 8;
        const delay = backoffDelay(attempt, { baseMs, capMs, jitter: true });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(capMs, baseMs * 2 ** attempt));
      }),
    );
  });
});
