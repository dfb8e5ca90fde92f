import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { validateCustomer } from '../generated/validateCustomer.cjs';
import { validateCustomerCreate } from '../generated/validateCustomerCreate.cjs';
import { attributePath, check } from './validation.js';

const checkCustomerCreate = (body: unknown) => check(validateCustomerCreate, body, 'Customer');
const checkCustomer = (body: unknown) => check(validateCustomer, body, 'Customer');

const valid = { name: 'n', engagedParty: { id: '1', '@referredType': 'Organization' } };

describe('attributePath', () => {
  it('turns JSON pointers into dotted attribute paths', () => {
    expect(attributePath('')).toBe('');
    expect(attributePath('', 'name')).toBe('name');
    expect(attributePath('/contactMedium/0/characteristic', 'city')).toBe('contactMedium[0].characteristic.city');
    expect(attributePath('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});

describe('Customer validation from the swagger', () => {
  it('accepts a minimal valid Customer_Create', () => {
    expect(() => checkCustomerCreate(valid)).not.toThrow();
  });

  it('reports every problem at once, each with its attribute', () => {
    let error: unknown;
    try {
      checkCustomerCreate({ name: 1, engagedParty: {}, characteristic: [{}] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    for (const expected of [
      'name: must be string',
      'engagedParty.id: is mandatory',
      'engagedParty.@referredType: is mandatory',
      'characteristic[0].name: is mandatory',
      'characteristic[0].value: is mandatory',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('holds the stored Customer to the conformance profile: name and engagedParty are mandatory', () => {
    expect(() => checkCustomer({ id: 'x', engagedParty: valid.engagedParty })).toThrow(/name: is mandatory/);
    expect(() => checkCustomer({ id: 'x', name: 'n' })).toThrow(/engagedParty: is mandatory/);
    expect(() => checkCustomer({ id: 'x', ...valid })).not.toThrow();
  });

  it('allows unknown attributes only on objects that declare @schemaLocation', () => {
    expect(() => checkCustomerCreate({ ...valid, extra: 1 })).toThrow(/extra: is not a known attribute/);
    expect(() =>
      checkCustomerCreate({ ...valid, '@schemaLocation': 'https://example.com/s.json', extra: 1 }),
    ).not.toThrow();
    expect(() =>
      checkCustomerCreate({
        ...valid,
        engagedParty: { ...valid.engagedParty, '@schemaLocation': 'https://example.com/p.json', vip: true },
      }),
    ).not.toThrow();
    expect(() => checkCustomerCreate({ ...valid, '@schemaLocation': 'not a uri' })).toThrow(
      /@schemaLocation: must match format "uri"/,
    );
  });
});
