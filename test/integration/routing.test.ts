import { describe, expect, it } from 'vitest';
import { baseUrl, call, expectTmfError } from './http.js';

describe('routing', () => {
  it.each([
    ['PUT', 'customer', 'GET, POST'],
    ['DELETE', 'customer', 'GET, POST'],
    ['PATCH', 'customer', 'GET, POST'],
    ['POST', 'customer/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'GET, PATCH, DELETE'],
    ['PUT', 'customer/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'GET, PATCH, DELETE'],
  ])('answers %s on /%s with 405, a TMF Error and Allow', async (method, path, allow) => {
    const response = await call(method, path);
    expectTmfError(response, 405);
    expect(response.headers.get('allow')).toBe(allow);
  });

  it('answers an unknown path with 404 and a TMF Error', async () => {
    expectTmfError(await call('GET', 'party'), 404);
    expectTmfError(await call('GET', 'customer/a/b'), 404);
    expectTmfError(await call('GET', '/somewhere/else'), 404);
  });

  it('answers requests Node cannot parse (oversized headers) with a TMF Error too', async () => {
    const response = await fetch(new URL('customer', baseUrl()), { headers: { 'X-Huge': 'x'.repeat(40_000) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ '@type': 'Error', code: 'INVALID_REQUEST', status: '431' });
  });

  it.each(['__proto__=x', 'constructor=x', 'toString=x', 'hasOwnProperty.x=1', '__proto__[polluted]=1'])(
    'answers a hostile query name (%s) with 400, not 500',
    async (query) => {
      expectTmfError(await call('GET', `customer?${query}`), 400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('ignores hostile header names', async () => {
    const response = await fetch(new URL('customer?limit=1', baseUrl()), {
      headers: [
        ['__proto__', 'x'],
        ['constructor', 'y'],
        ['Accept', 'application/json'],
      ],
    });
    expect(response.status).toBeLessThan(300);
  });
});
