import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BODY_BYTES, page, pageLinks } from './response.js';

const request = { url: 'https://api.example.com/tmf-api/customerManagement/v4/customer', query: {} };

describe('page', () => {
  it('answers 200 when the body holds every match and 206 when it holds part', () => {
    const all = page({ items: [{ id: 'a' }, { id: 'b' }], totalCount: 2, offset: 0, limit: 10 }, request);
    expect(all.statusCode).toBe(200);
    expect(all.headers).toMatchObject({ 'X-Total-Count': '2', 'X-Result-Count': '2' });
    expect(JSON.parse(all.body)).toEqual([{ id: 'a' }, { id: 'b' }]);
    const part = page({ items: [{ id: 'a' }], totalCount: 5, offset: 0, limit: 1 }, request);
    expect(part.statusCode).toBe(206);
    expect(part.headers).toMatchObject({ 'X-Total-Count': '5', 'X-Result-Count': '1' });
  });

  it('stops a page short of the Lambda response limit and says how many it holds', () => {
    const big = { id: 'x', blob: 'y'.repeat(300 * 1024) };
    const items = Array.from({ length: 30 }, () => big);
    const result = page({ items, totalCount: 30, offset: 0, limit: 30 }, request);
    expect(Buffer.byteLength(result.body)).toBeLessThanOrEqual(MAX_PAGE_BODY_BYTES);
    const held = (JSON.parse(result.body) as unknown[]).length;
    expect(held).toBeLessThan(30);
    expect(result.headers?.['X-Result-Count']).toBe(String(held));
    expect(result.statusCode).toBe(206);
  });
});

describe('pageLinks', () => {
  it('links first, prev, next and last pages of the same query', () => {
    const link = pageLinks(
      { url: 'http://h/customer', query: { name: ['a b'], offset: ['20'], limit: ['10'] } },
      20,
      10,
      10,
      45,
    );
    expect(link).toBe(
      [
        '<http://h/customer?name=a+b&offset=0&limit=10>; rel="first"',
        '<http://h/customer?name=a+b&offset=10&limit=10>; rel="prev"',
        '<http://h/customer?name=a+b&offset=30&limit=10>; rel="next"',
        '<http://h/customer?name=a+b&offset=40&limit=10>; rel="last"',
      ].join(', '),
    );
  });

  it('has no prev on the first page and no next on the last', () => {
    const link = pageLinks({ url: 'http://h/customer', query: {} }, 0, 10, 3, 3) ?? '';
    expect(link).not.toContain('rel="prev"');
    expect(link).not.toContain('rel="next"');
    expect(link).toContain('offset=0&limit=10>; rel="last"');
  });

  it('continues after a page cut short by the size budget', () => {
    expect(pageLinks({ url: 'http://h/customer', query: {} }, 0, 100, 7, 50)).toContain(
      'offset=7&limit=100>; rel="next"',
    );
  });

  it('puts the cursor on next, and leaves out last and X-Total-Count when the total is unknown', () => {
    const result = page(
      { items: [{ id: 'a' }], totalCount: undefined, offset: 20, limit: 1, nextCursor: () => 'abc.def' },
      { url: 'http://h/customer', query: { status: ['x'], cursor: ['old.sig'] } },
    );
    expect(result.statusCode).toBe(206);
    expect(result.headers).not.toHaveProperty('X-Total-Count');
    expect(result.headers?.Link).toBe(
      [
        '<http://h/customer?status=x&offset=0&limit=1>; rel="first"',
        '<http://h/customer?status=x&offset=19&limit=1>; rel="prev"',
        '<http://h/customer?status=x&offset=21&limit=1&cursor=abc.def>; rel="next"',
      ].join(', '),
    );
  });

  it('has no next when the list says nothing follows, whatever the total', () => {
    const result = page(
      { items: [{ id: 'a' }], totalCount: 9, offset: 0, limit: 1, nextCursor: () => undefined },
      { url: 'http://h/customer', query: {} },
    );
    expect(result.headers?.Link).not.toContain('rel="next"');
  });
});
