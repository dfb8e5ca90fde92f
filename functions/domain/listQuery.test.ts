import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseListQuery, parseRetrieveQuery } from './listQuery.js';

describe('parseListQuery', () => {
  it('defaults offset to 0 and limit to the default page size', () => {
    expect(parseListQuery({})).toMatchObject({ offset: 0, limit: DEFAULT_LIMIT, fields: undefined, id: [], name: [] });
  });

  it('reads offset, limit, fields and comma-separated alternatives', () => {
    const query = parseListQuery({ offset: ['5'], limit: ['7'], fields: ['name'], name: ['a,b'], id: ['x'] });
    expect(query).toMatchObject({ offset: 5, limit: 7, name: [['a', 'b']], id: [['x']] });
    expect(query.fields).toEqual(new Set(['id', 'href', 'name']));
  });

  it('keeps repeated filters apart, to be ANDed', () => {
    expect(parseListQuery({ name: ['a', 'b'] }).name).toEqual([['a'], ['b']]);
  });

  it.each([
    [{ limit: ['abc'] }, /limit/],
    [{ limit: ['-1'] }, /limit/],
    [{ limit: ['1e3'] }, /limit/],
    [{ limit: [String(MAX_LIMIT + 1)] }, /maximum/],
    [{ offset: ['-1'] }, /offset/],
    [{ offset: ['9999999999'] }, /offset/],
    [{ limit: ['1', '2'] }, /more than once/],
    [{ unknown: ['1'] }, /unknown: not a supported query parameter/],
  ])('refuses %j', (params, pattern) => {
    expect(() => parseListQuery(params)).toThrow(InvalidQueryError);
    expect(() => parseListQuery(params)).toThrow(pattern);
  });

  it('takes only fields on retrieve', () => {
    expect(parseRetrieveQuery({ fields: ['name'] }).fields).toEqual(new Set(['id', 'href', 'name']));
    expect(() => parseRetrieveQuery({ offset: ['1'] })).toThrow(InvalidQueryError);
  });
});
