import { describe, expect, it } from 'vitest';
import { customerKey, fromCustomerItem, itemSizeBytes, nameKeyOf, toCustomerItem } from './customerTable.js';

describe('customer item mapping', () => {
  it('round-trips a TMF document, with key attributes for the table and its indexes', () => {
    const doc = {
      id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      name: 'Moon',
      engagedParty: { id: '1' },
      characteristic: [{ name: 'n', value: 1e300 }],
    };
    const item = toCustomerItem(doc, 4);
    expect(item).toMatchObject({
      ...customerKey(doc.id),
      id: doc.id,
      version: 4,
      nameKey: 'N#Moon',
      listKey: 'CUSTOMER',
    });
    expect(fromCustomerItem(item)).toEqual({ doc, version: 4 });
  });

  it('indexes an empty name (DynamoDB key values cannot be empty) and hashes names too long for a key', () => {
    expect(nameKeyOf('')).toBe('N#');
    const long = 'é'.repeat(2000);
    expect(nameKeyOf(long)).toMatch(/^H#[A-Za-z0-9_-]{43}$/);
    expect(nameKeyOf(long)).toBe(nameKeyOf(long));
    expect(nameKeyOf(long)).not.toBe(nameKeyOf(`${long}x`));
  });

  it('measures item size in UTF-8 bytes', () => {
    expect(itemSizeBytes({ ab: 'é' })).toBe(4);
  });

  it('refuses items that are not customers', () => {
    expect(() => fromCustomerItem({ pk: 'COUNTER#CUSTOMER', count: 1 })).toThrow(TypeError);
  });
});
