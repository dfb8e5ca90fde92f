import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../errors.js';
import { instantOf, matchesFilter, parseFilter } from './filter.js';

const parse = (query: string) => parseFilter(new URLSearchParams(query));
const describeFilter = (query: string) =>
  parse(query).map((c) => [c.attribute, c.operator, c.values.map((v) => v.raw)]);

describe('parseFilter', () => {
  it.each([
    ['name=Moon', ['name', 'eq', ['Moon']]],
    ['name.eq=Moon', ['name', 'eq', ['Moon']]],
    ['name==Moon', ['name', 'eq', ['Moon']]],
    ['creditProfile.creditScore.gt=5', ['creditProfile.creditScore', 'gt', ['5']]],
    ['creditProfile.creditScore.gte=5', ['creditProfile.creditScore', 'gte', ['5']]],
    ['creditProfile.creditScore.lt=5', ['creditProfile.creditScore', 'lt', ['5']]],
    ['creditProfile.creditScore.lte=5', ['creditProfile.creditScore', 'lte', ['5']]],
    ['creditProfile.creditScore>5', ['creditProfile.creditScore', 'gt', ['5']]],
    ['creditProfile.creditScore>=5', ['creditProfile.creditScore', 'gte', ['5']]],
    ['creditProfile.creditScore<5', ['creditProfile.creditScore', 'lt', ['5']]],
    ['creditProfile.creditScore<=5', ['creditProfile.creditScore', 'lte', ['5']]],
    ['creditProfile.creditScore%3E%3D5', ['creditProfile.creditScore', 'gte', ['5']]],
    ['name*=^M', ['name', 'regex', ['^M']]],
    ['name=~^M', ['name', 'regex', ['^M']]],
    ['name*=a{1,2}', ['name', 'regex', ['a{1,2}']]],
    ['status=a,b', ['status', 'eq', ['a', 'b']]],
  ])('reads %s', (query, expected) => {
    expect(describeFilter(query)).toEqual([expected]);
  });

  it('skips reserved parameters', () => {
    expect(parseFilter(new URLSearchParams('limit=1&name=x'), { reserved: new Set(['limit']) })).toHaveLength(1);
  });

  it('reads attributes relative to an array element for JSON Patch Query', () => {
    const [viaPrefix] = parseFilter(new URLSearchParams('contactMedium.mediumType=email'), { within: 'contactMedium' });
    const [relative] = parseFilter(new URLSearchParams('mediumType=email'), { within: 'contactMedium' });
    expect(viaPrefix?.path).toEqual(['mediumType']);
    expect(relative?.path).toEqual(['mediumType']);
    expect(() => parseFilter(new URLSearchParams('planet=x'), { within: 'contactMedium' })).toThrow(InvalidQueryError);
  });

  it.each([
    'unknown=1',
    'constructor=1',
    'toString.x=1',
    'engagedParty=1',
    'creditProfile.creditScore=x',
    'contactMedium.preferred.lt=true',
    '__proto__=1',
  ])('refuses %s', (query) => {
    expect(() => parse(query)).toThrow(InvalidQueryError);
  });
});

describe('matchesFilter', () => {
  const customer = {
    name: 'Moon',
    contactMedium: [
      { mediumType: 'email', characteristic: { city: 'Paris' } },
      { mediumType: 'phone', characteristic: { city: 'Lyon' } },
    ],
    characteristic: [{ name: 'n', value: 12 }],
    validFor: { startDateTime: '2026-01-01T01:00:00+01:00' },
  };

  it('matches arrays when any element matches', () => {
    expect(matchesFilter(customer, parse('contactMedium.characteristic.city=Lyon'))).toBe(true);
    expect(matchesFilter(customer, parse('contactMedium.characteristic.city=Nice'))).toBe(false);
  });

  it('compares instants and numbers by value', () => {
    expect(matchesFilter(customer, parse('validFor.startDateTime=2026-01-01T00:00:00Z'))).toBe(true);
    expect(matchesFilter(customer, parse('characteristic.value.gt=9'))).toBe(true);
    expect(matchesFilter(customer, parse('characteristic.value=12'))).toBe(true);
    expect(matchesFilter(customer, parse('characteristic.value.lt=100'))).toBe(true);
  });

  it('ANDs conditions', () => {
    expect(matchesFilter(customer, parse('name=Moon&contactMedium.mediumType=fax'))).toBe(false);
  });
});

describe('instantOf', () => {
  it('reads RFC 3339 date-times and dates, UTC when no offset is given', () => {
    expect(instantOf('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(instantOf('2026-01-01T02:00:00+02:00')).toBe(Date.UTC(2026, 0, 1));
    expect(instantOf('2026-01-01T00:00:00')).toBe(Date.UTC(2026, 0, 1));
    expect(instantOf('2026-01-01')).toBe(Date.UTC(2026, 0, 1));
    expect(instantOf('01/02/2026')).toBeUndefined();
    expect(instantOf('2026-13-45')).toBeUndefined();
  });
});
