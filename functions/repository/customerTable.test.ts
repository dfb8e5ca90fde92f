import { describe, expect, it } from 'vitest';
import {
  customerKey,
  fromCustomerItem,
  itemSizeBytes,
  lookupEntriesOf,
  lookupEntry,
  toCustomerItem,
} from './customerTable.js';

describe('customer item mapping', () => {
  it('round-trips a TMF document, with key attributes for the table and its index', () => {
    const doc = {
      id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      name: 'Moon',
      engagedParty: { id: '1' },
      characteristic: [{ name: 'n', value: 1e300 }],
    };
    const item = toCustomerItem(doc, 4, lookupEntriesOf(doc));
    expect(item).toMatchObject({ ...customerKey(doc.id), id: doc.id, version: 4, listKey: 'CUSTOMER' });
    expect(fromCustomerItem(item)).toEqual({ doc, version: 4, lookups: ['engagedParty.id=1', 'name=Moon'] });
  });

  it('indexes every distinct value of multi-valued attributes, once', () => {
    const doc = {
      name: 'Moon',
      status: 'Approved',
      contactMedium: [
        { mediumType: 'email', characteristic: { emailAddress: 'a@example.com' } },
        { mediumType: 'email', characteristic: { emailAddress: 'b@example.com' } },
        { mediumType: 'email', characteristic: { emailAddress: 'a@example.com' } },
        { mediumType: 'phone', characteristic: { phoneNumber: '+33 1 23 45 67 89' } },
      ],
    };
    expect(lookupEntriesOf(doc)).toEqual([
      'contactMedium.characteristic.emailAddress=a@example.com',
      'contactMedium.characteristic.emailAddress=b@example.com',
      'contactMedium.characteristic.phoneNumber=+33 1 23 45 67 89',
      'name=Moon',
      'status=Approved',
    ]);
  });

  it('indexes an empty value, and hashes values too long for a key', () => {
    expect(lookupEntry('name', '')).toBe('name=');
    const long = 'é'.repeat(2000);
    expect(lookupEntry('name', long)).toMatch(/^name#[A-Za-z0-9_-]{43}$/);
    expect(lookupEntry('name', long)).toBe(lookupEntry('name', long));
    expect(lookupEntry('name', long)).not.toBe(lookupEntry('name', `${long}x`));
  });

  it('measures item size in UTF-8 bytes', () => {
    expect(itemSizeBytes({ ab: 'é' })).toBe(4);
  });

  it('refuses items that are not customers', () => {
    expect(() => fromCustomerItem({ pk: 'COUNT#all', sk: 'SHARD#1', count: 1 })).toThrow(TypeError);
  });
});
