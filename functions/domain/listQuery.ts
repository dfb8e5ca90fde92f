/** Parses and checks the query of listCustomer and retrieveCustomer (TMF630 paging, selection, sorting, filtering). */
import { createHash } from 'node:crypto';
import { InvalidQueryError } from '../errors.js';
import { parseFields, type FieldSelection } from './fields.js';
import type { AttributeTypes } from './attributes.js';
import { parseFilter, type Filter } from './filter.js';
import { parseSort, type SortKey } from './sort.js';

/** Query parameters as received: each name with every value it was given. */
export type QueryParams = Readonly<Record<string, readonly string[]>>;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const RESERVED = new Set(['fields', 'offset', 'limit', 'sort', 'cursor']);
/** Parameters a list cursor is not bound to: where the page starts and how long it is. */
const POSITIONAL = new Set(['offset', 'limit', 'cursor']);

export interface ListQuery {
  readonly fields: FieldSelection;
  readonly offset: number;
  readonly limit: number;
  readonly sort: readonly SortKey[];
  readonly filter: Filter;
  /** The opaque position a `next` link carries (see listCursor.ts). */
  readonly cursor: string | undefined;
  /** The query without its position: a cursor is valid only for the query that made it. */
  readonly fingerprint: string;
}

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

export function parseListQuery(params: QueryParams, attributeTypes?: AttributeTypes): ListQuery {
  const entries = Object.entries(params).flatMap(([name, values]) => values.map((value) => [name, value] as const));
  return {
    fields: parseFields(params.fields),
    offset: nonNegativeInteger(params, 'offset', 0, 1_000_000_000),
    limit: nonNegativeInteger(params, 'limit', DEFAULT_LIMIT, MAX_LIMIT),
    sort: parseSort(params.sort, attributeTypes),
    filter: parseFilter(entries, { reserved: RESERVED, ...(attributeTypes ? { attributeTypes } : {}) }),
    cursor: single(params, 'cursor'),
    fingerprint: fingerprintOf(entries),
  };
}

function fingerprintOf(entries: readonly (readonly [string, string])[]): string {
  const canonical = entries
    .filter(([name]) => !POSITIONAL.has(name))
    .map(([name, value]) => JSON.stringify([name, value]))
    .sort()
    .join('\n');
  return createHash('sha256').update(canonical, 'utf8').digest('base64url').slice(0, 22);
}

export function parseRetrieveQuery(params: QueryParams): { fields: FieldSelection } {
  for (const name of Object.keys(params)) {
    if (name !== 'fields') {
      throw new InvalidQueryError(`${name.slice(0, 64)}: not a supported query parameter (supported: fields)`);
    }
  }
  return { fields: parseFields(params.fields) };
}
