import { describe, expect, it } from 'vitest';
import { baseUrl, call, expectTmfError } from './http.js';

describe('routing', () => {
  it.each([
    ['PUT', 'customer', 'GET, HEAD, POST'],
    ['DELETE', 'customer', 'GET, HEAD, POST'],
    ['PATCH', 'customer', 'GET, HEAD, POST'],
    ['POST', 'customer/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'GET, HEAD, PATCH, DELETE'],
    ['PUT', 'customer/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'GET, HEAD, PATCH, DELETE'],
  ])('answers %s on /%s with 405, a TMF Error and Allow', async (method, path, allow) => {
    const response = await call(method, path);
    expectTmfError(response, 405);
    expect(response.headers.get('allow')).toBe(allow);
  });

  it('answers HEAD like GET without a body (RFC 9110), on every GET route', async () => {
    const created = await call('POST', 'customer', {
      body: { name: 'Head check', engagedParty: { '@referredType': 'Organization', id: '500' } },
    });
    for (const path of ['customer?limit=1', `customer/${created.body.id}`, 'openapi.json', 'swagger.json', '/health']) {
      const get = await fetch(new URL(path, baseUrl()));
      const head = await fetch(new URL(path, baseUrl()), { method: 'HEAD' });
      expect(head.status, path).toBe(get.status);
      expect(await head.text(), path).toBe('');
      expect(head.headers.get('content-type'), path).toBe(get.headers.get('content-type'));
      if (path.startsWith('customer/')) expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
      if (path.includes('openapi')) expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    }
    expect((await fetch(new URL('customer/01ARZ3NDEKTSV4RRFFQ69G5FAV', baseUrl()), { method: 'HEAD' })).status).toBe(
      404,
    );
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
