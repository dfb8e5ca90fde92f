import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BODY_BYTES, page } from './response.js';

describe('page', () => {
  it('answers 200 when the body holds every match and 206 when it holds part', () => {
    const all = page({ items: [{ id: 'a' }, { id: 'b' }], totalCount: 2 });
    expect(all.statusCode).toBe(200);
    expect(all.headers).toMatchObject({ 'X-Total-Count': '2', 'X-Result-Count': '2' });
    expect(JSON.parse(all.body)).toEqual([{ id: 'a' }, { id: 'b' }]);
    const part = page({ items: [{ id: 'a' }], totalCount: 5 });
    expect(part.statusCode).toBe(206);
    expect(part.headers).toMatchObject({ 'X-Total-Count': '5', 'X-Result-Count': '1' });
  });

  it('stops a page short of the Lambda response limit and says how many it holds', () => {
    const big = { id: 'x', blob: 'y'.repeat(300 * 1024) };
    const items = Array.from({ length: 30 }, () => big);
    const result = page({ items, totalCount: 30 });
    expect(Buffer.byteLength(result.body)).toBeLessThanOrEqual(MAX_PAGE_BODY_BYTES);
    const held = (JSON.parse(result.body) as unknown[]).length;
    expect(held).toBeLessThan(30);
    expect(result.headers?.['X-Result-Count']).toBe(String(held));
    expect(result.statusCode).toBe(206);
  });
});
