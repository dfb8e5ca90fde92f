import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseListQuery, parseRetrieveQuery } from './listQuery.js';

describe('parseListQuery', () => {
  it('defaults offset to 0 and limit to the default page size', () => {
    expect(parseListQuery({})).toMatchObject({
      offset: 0,
      limit: DEFAULT_LIMIT,
      fields: undefined,
      filter: [],
      sort: [],
    });
  });

  it('reads offset, limit, fields, sort and filters', () => {
    const query = parseListQuery({ offset: ['5'], limit: ['7'], fields: ['name'], sort: ['-name'], name: ['a,b'] });
    expect(query).toMatchObject({ offset: 5, limit: 7, sort: [{ attribute: 'name', descending: true }] });
    expect([...(query.fields?.keys() ?? [])]).toEqual(['id', 'href', 'name']);
    expect(query.filter.map((c) => [c.attribute, c.operator, c.values.map((v) => v.raw)])).toEqual([
      ['name', 'eq', ['a', 'b']],
    ]);
  });

  it('keeps repeated filters apart, to be ANDed', () => {
    expect(parseListQuery({ name: ['a', 'b'] }).filter).toHaveLength(2);
  });

  it.each([
    [{ limit: ['abc'] }, /limit/],
    [{ limit: ['-1'] }, /limit/],
    [{ limit: ['1e3'] }, /limit/],
    [{ limit: [String(MAX_LIMIT + 1)] }, /maximum/],
    [{ offset: ['-1'] }, /offset/],
    [{ offset: ['9999999999'] }, /offset/],
    [{ limit: ['1', '2'] }, /more than once/],
    [{ unknown: ['1'] }, /unknown: not an attribute of Customer/],
  ])('refuses %j', (params, pattern) => {
    expect(() => parseListQuery(params)).toThrow(InvalidQueryError);
    expect(() => parseListQuery(params)).toThrow(pattern);
  });

  it('takes only fields on retrieve', () => {
    expect([...(parseRetrieveQuery({ fields: ['name'] }).fields?.keys() ?? [])]).toEqual(['id', 'href', 'name']);
    expect(() => parseRetrieveQuery({ offset: ['1'] })).toThrow(InvalidQueryError);
  });
});
