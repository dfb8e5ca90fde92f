/**
 * Property test: random filter / sort / offset / limit queries against the real local engine,
 * each answer compared with a plain in-memory evaluation of the same query over the same data.
 * Runs on its own server and data folder, so the data set is exactly what this test created.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { dataSet, query, queryString, reference, type Customer } from '../queryReference.js';

let api: RunningLocalApi;
let stored: Customer[] = [];

beforeAll(async () => {
  api = await startLocalApi();
  for (const body of dataSet()) {
    const response = await fetch(new URL('customer', api.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    stored.push((await response.json()) as Customer);
  }
  stored = stored.sort((a, b) => (a.id < b.id ? -1 : 1));
});

afterAll(() => api?.stop());

describe('listCustomer against an in-memory evaluation', () => {
  it('answers random filter / sort / offset / limit queries exactly as the plain evaluation does', async () => {
    let withMatches = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const qs = queryString(q);
        const response = await fetch(new URL(`customer?${qs}`, api.baseUrl));
        const body = (await response.json()) as Customer[];
        const expected = reference(stored, q.conditions, q.sort);
        const page = expected.slice(q.offset, q.offset + q.limit);
        expect(response.headers.get('x-total-count'), qs).toBe(String(expected.length));
        expect(
          body.map((c) => c.id),
          qs,
        ).toEqual(page.map((c) => c.id));
        expect(response.status, qs).toBe(page.length < expected.length ? 206 : 200);
        if (page.length > 0) withMatches += 1;
      }),
      { numRuns: 150 },
    );
    // The generators must produce queries that find something, or the comparison proves little.
    expect(withMatches).toBeGreaterThan(30);
  });
});
