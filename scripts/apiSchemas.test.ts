import { describe, expect, it } from 'vitest';
import { reachableFrom, splitAnswersFromRequests, withoutUnused, wrapRefSiblings } from './apiSchemas.js';

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const definitions = {
  Customer: {
    required: ['name'],
    properties: { name: { type: 'string' }, medium: ref('Medium'), period: ref('Period') },
  },
  Create: { required: ['name'], properties: { name: { type: 'string' }, medium: ref('Medium') } },
  Medium: { required: ['type'], properties: { type: { type: 'string' }, detail: ref('Detail') } },
  Detail: { required: ['value'], properties: { value: { type: 'string' } } },
  Period: { properties: { start: { type: 'string' } } },
  Orphan: { properties: {} },
};

describe('splitAnswersFromRequests', () => {
  const split = splitAnswersFromRequests(definitions, 'Customer', ['id'], ['Create']);

  it('requires only what is always answered in the answer tree', () => {
    expect(split.Customer?.required).toEqual(['id']);
    expect(split.Medium?.required).toBeUndefined();
    expect(split.Detail?.required).toBeUndefined();
  });

  it('keeps every requirement in the request tree through _Input copies, and shares what requires nothing', () => {
    expect(split.Create?.properties).toMatchObject({ medium: ref('Medium_Input') });
    expect(split.Medium_Input).toMatchObject({ required: ['type'], properties: { detail: ref('Detail_Input') } });
    expect(split.Detail_Input?.required).toEqual(['value']);
    expect(split.Period_Input).toBeUndefined();
    expect(definitions.Medium.required).toEqual(['type']); // the input is left as it was
  });
});

describe('the other helpers', () => {
  it('finds what a root reaches, drops what nothing reaches, and wraps $ref siblings in allOf', () => {
    expect([...reachableFrom(definitions, ['Create'])].sort()).toEqual(['Create', 'Detail', 'Medium']);
    expect(Object.keys(withoutUnused(definitions, { paths: { x: ref('Customer') } })).sort()).toEqual([
      'Customer',
      'Detail',
      'Medium',
      'Period',
    ]);
    expect(wrapRefSiblings({ a: { ...ref('Period'), description: 'd' }, b: ref('Period') })).toEqual({
      a: { description: 'd', allOf: [ref('Period')] },
      b: ref('Period'),
    });
  });
});
