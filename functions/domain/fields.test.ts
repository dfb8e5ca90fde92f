import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../errors.js';
import { parseFields, project } from './fields.js';

const customer = { id: '1', href: 'h', name: 'n', status: 's', '@type': 'Customer', engagedParty: { id: '5' } };

describe('fields selection', () => {
  it('keeps the whole resource without fields', () => {
    expect(project(customer, parseFields(undefined))).toBe(customer);
  });

  it('keeps named first-level attributes plus id and href', () => {
    expect(project(customer, parseFields(['name,@type']))).toEqual({
      id: '1',
      href: 'h',
      name: 'n',
      '@type': 'Customer',
    });
    expect(project(customer, parseFields(['name', 'status']))).toEqual({ id: '1', href: 'h', name: 'n', status: 's' });
  });

  it('keeps only id and href for fields=none, href or id', () => {
    for (const value of ['none', 'href', 'id']) {
      expect(project(customer, parseFields([value]))).toEqual({ id: '1', href: 'h' });
    }
  });

  it('ignores attributes the resource lacks', () => {
    expect(project(customer, parseFields(['nickname']))).toEqual({ id: '1', href: 'h' });
  });

  it('refuses what cannot be an attribute name', () => {
    expect(() => parseFields(['name;drop'])).toThrow(InvalidQueryError);
    expect(() => parseFields(['a b'])).toThrow(InvalidQueryError);
  });
});
