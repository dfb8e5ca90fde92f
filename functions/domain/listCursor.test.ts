import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../errors.js';
import { CURSOR_LIFETIME_MS, openCursor, sealCursor } from './listCursor.js';

const key = Buffer.alloc(32, 7);
const position = { after: { values: [[2, 'Moon'] as const, null], id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } };
const binding = { fingerprint: 'query-a', offset: 100, sortKeys: 2 };

describe('list cursors', () => {
  it('round-trip the position for the query and offset that made them, without showing it', () => {
    const cursor = sealCursor(key, position, binding);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(Buffer.from(cursor.split('.')[1] ?? '', 'base64url').toString('latin1')).not.toContain('Moon');
    expect(openCursor(key, cursor, binding)).toEqual(position);
  });

  it('refuse a cursor that was altered, forged, made for another query or offset, or expired', () => {
    const cursor = sealCursor(key, position, binding);
    const [iv = '', sealed = ''] = cursor.split('.');
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[3] = (bytes[3] ?? 0) ^ 1;
    const refusals: [string, string, typeof binding][] = [
      ['altered', `${iv}.${bytes.toString('base64url')}`, binding],
      [
        'forged',
        `${iv}.${Buffer.from(JSON.stringify({ v: 1, q: 'query-a', o: 100, t: Date.now() })).toString('base64url')}`,
        binding,
      ],
      ['another key', sealCursor(Buffer.alloc(32, 8), position, binding), binding],
      ['another query', cursor, { ...binding, fingerprint: 'query-b' }],
      ['another offset', cursor, { ...binding, offset: 200 }],
      ['another sort', cursor, { ...binding, sortKeys: 1 }],
      ['not a cursor', 'hello', binding],
      ['empty', `${iv}.`, binding],
    ];
    for (const [why, text, expected] of refusals) {
      expect(() => openCursor(key, text, expected), why).toThrow(InvalidQueryError);
    }
    const old = sealCursor(key, position, binding, Date.now() - CURSOR_LIFETIME_MS - 1000);
    expect(() => openCursor(key, old, binding)).toThrow(/expired/);
  });
});
