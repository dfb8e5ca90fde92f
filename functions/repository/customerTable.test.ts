import { describe, expect, it } from 'vitest';
import {
  customerKey,
  fromCustomerItem,
  itemSizeBytes,
  LIST_SHARDS,
  listShardOf,
  toCustomerItem,
} from './customerTable.js';
import {
  BUILT_IN_LOOKUP_ATTRIBUTES,
  lookupEntriesOf,
  lookupEntry,
  parseIndexedAttributes,
} from '../domain/lookupAttributes.js';

describe('customer item mapping', () => {
  it('round-trips a TMF document, with key attributes for the table and its index', () => {
    const doc = {
      id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      name: 'Moon',
      engagedParty: { id: '1' },
      characteristic: [{ name: 'n', value: 1e300 }],
    };
    const item = toCustomerItem(doc, 4, lookupEntriesOf(doc, BUILT_IN_LOOKUP_ATTRIBUTES));
    expect(item).toMatchObject({ ...customerKey(doc.id), id: doc.id, version: 4, listShard: listShardOf(doc.id) });
    expect(fromCustomerItem(item)).toEqual({
      doc,
      version: 4,
      lookups: ['engagedParty.id=1', 'name=Moon'],
      changedAt: item.changedAt,
    });
    expect(Date.parse(item.changedAt as string)).not.toBeNaN();
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
    expect(lookupEntriesOf(doc, BUILT_IN_LOOKUP_ATTRIBUTES)).toEqual([
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

describe('list shards', () => {
  it('spreads customers evenly and stably over the list index partitions', () => {
    const counts = new Map<string, number>();
    for (let n = 0; n < 8000; n++) {
      const shard = listShardOf(`customer-${n}`);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }
    expect(counts.size).toBe(LIST_SHARDS);
    for (const count of counts.values()) expect(count).toBeGreaterThan((8000 / LIST_SHARDS) * 0.85);
    expect(listShardOf('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(listShardOf('01ARZ3NDEKTSV4RRFFQ69G5FAV'));
  });
});

describe('configured indexed attributes', () => {
  const doc = {
    id: 'c1',
    name: 'Moon',
    contactMedium: [
      { mediumType: 'postalAddress', characteristic: { city: 'Paris' } },
      { mediumType: 'postalAddress', characteristic: { city: 'Lyon' } },
    ],
    characteristic: [
      { name: 'segment', value: 'gold' },
      { name: 'tier', value: 3 },
      { name: 'vip', value: true },
    ],
  };

  it('adds paths through arrays and named characteristics to the built-in ones', () => {
    const attributes = parseIndexedAttributes(
      'contactMedium.characteristic.city, characteristic[segment].value,characteristic[tier].value',
    );
    expect(attributes.filter((a) => !a.builtIn).map((a) => a.attribute)).toEqual([
      'contactMedium.characteristic.city',
      'characteristic[segment].value',
      'characteristic[tier].value',
    ]);
    expect(lookupEntriesOf(doc, attributes)).toEqual([
      'characteristic[segment].value=gold',
      'characteristic[tier].value=3',
      'contactMedium.characteristic.city=Lyon',
      'contactMedium.characteristic.city=Paris',
      'name=Moon',
    ]);
  });

  it('refuses attributes that are not Customer attributes or cannot be compared exactly', () => {
    expect(() => parseIndexedAttributes('contactMedium.characteristic.town')).toThrow(/not an attribute/);
    expect(() => parseIndexedAttributes('validFor.startDateTime')).toThrow(/date-time/);
    expect(() => parseIndexedAttributes('contactMedium.characteristic')).toThrow(/object/);
    expect(() => parseIndexedAttributes('contactMedium[x].mediumType')).toThrow(/not an attribute/);
    expect(parseIndexedAttributes('')).toHaveLength(5);
    expect(parseIndexedAttributes('name,status')).toHaveLength(5);
  });
});
