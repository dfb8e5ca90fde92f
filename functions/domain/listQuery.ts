/** Parses and checks the query of listCustomer (TMF630 paging, selection and filtering). */
import { InvalidQueryError } from '../errors.js';
import { parseFields, type FieldSelection } from './fields.js';

/** Query parameters as received: each name with every value it was given. */
export type QueryParams = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface ListQuery {
  readonly fields: FieldSelection;
  readonly offset: number;
  readonly limit: number;
  /** Comma-separated values OR; repeated parameters AND. */
  readonly id: readonly (readonly string[])[];
  readonly name: readonly (readonly string[])[];
}

const SUPPORTED = new Set(['fields', 'offset', 'limit', 'id', 'name']);

function single(params: QueryParams, name: string): string | undefined {
  const values = params[name];
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidQueryError(`${name}: given more than once`);
  return values[0];
}

function nonNegativeInteger(params: QueryParams, name: string, fallback: number, max: number): number {
  const raw = single(params, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new InvalidQueryError(`${name}: "${raw.slice(0, 32)}" is not a non-negative integer`);
  }
  const value = Number(raw);
  if (value > max) throw new InvalidQueryError(`${name}: ${value} is above the maximum of ${max}`);
  return value;
}

function alternatives(values: readonly string[] | undefined): string[][] {
  return (values ?? []).map((value) => value.split(','));
}

export function parseListQuery(params: QueryParams): ListQuery {
  for (const name of Object.keys(params)) {
    if (!SUPPORTED.has(name)) {
      throw new InvalidQueryError(
        `${name.slice(0, 64)}: not a supported query parameter (supported: ${[...SUPPORTED].join(', ')})`,
      );
    }
  }
  return {
    fields: parseFields(params.fields),
    offset: nonNegativeInteger(params, 'offset', 0, 1_000_000_000),
    limit: nonNegativeInteger(params, 'limit', DEFAULT_LIMIT, MAX_LIMIT),
    id: alternatives(params.id),
    name: alternatives(params.name),
  };
}

export function parseRetrieveQuery(params: QueryParams): { fields: FieldSelection } {
  for (const name of Object.keys(params)) {
    if (name !== 'fields') {
      throw new InvalidQueryError(`${name.slice(0, 64)}: not a supported query parameter (supported: fields)`);
    }
  }
  return { fields: parseFields(params.fields) };
}
