/**
 * TMF630 sorting: `sort=name,-creditProfile.creditScore`. Values compare by the schema's type;
 * an attribute that is an array sorts by its first value; customers lacking the attribute come
 * last; ties are broken by id, so pages are stable.
 */
import { InvalidQueryError } from '../errors.js';
import { attributeTypeOf, splitPath, valuesAt, type AttributeType, type AttributeTypes } from './attributes.js';
import { instantOf } from './filter.js';

export interface SortKey {
  readonly attribute: string;
  readonly path: readonly string[];
  readonly descending: boolean;
  readonly type: AttributeType;
}

/** Sort keys one query may give: each is compared for every pair of customers a sort orders. */
export const MAX_SORT_KEYS = 8;

export function parseSort(values: readonly string[] | undefined, attributeTypes?: AttributeTypes): SortKey[] {
  if (!values || values.length === 0) return [];
  if (values.length > 1) throw new InvalidQueryError('sort: given more than once; list the keys comma-separated');
  const keys = (values[0] ?? '').split(',').filter((key) => key !== '');
  if (keys.length > MAX_SORT_KEYS)
    throw new InvalidQueryError(`sort: at most ${MAX_SORT_KEYS} keys (MAX_SORT_KEYS); got ${keys.length}`);
  return keys.map((key) => {
    const descending = key.startsWith('-');
    const attribute = key.replace(/^[-+]/, '');
    const path = splitPath(attribute);
    const type = path ? attributeTypeOf(attribute, attributeTypes) : undefined;
    if (!path || !type) throw new InvalidQueryError(`sort: ${attribute.slice(0, 64)} is not an attribute of Customer`);
    if (type === 'object')
      throw new InvalidQueryError(`sort: ${attribute} is an object; sort by one of its attributes`);
    return { attribute, path, descending, type };
  });
}

/** A sortable form of a value; kinds order mixed untyped values: booleans, numbers, strings. */
export type Comparable = readonly [kind: number, value: number | string];

function comparable(value: unknown, type: AttributeType): Comparable | undefined {
  if (type === 'date-time' && typeof value === 'string') {
    const instant = instantOf(value);
    return instant === undefined ? [2, value] : [1, instant];
  }
  if (typeof value === 'boolean') return [0, value ? 1 : 0];
  if (typeof value === 'number') return [1, value];
  if (typeof value === 'string') return [2, value];
  return undefined;
}

function sortValue(resource: unknown, key: SortKey): Comparable | null {
  for (const value of valuesAt(resource, key.path)) {
    const result = comparable(value, key.type);
    if (result) return result;
  }
  return null;
}

/**
 * Where a customer stands in a sort: its value for each key (null when it has none) and its id.
 * A list cursor carries the position of the last customer of a page, and the next page starts
 * after it.
 */
export interface SortPosition {
  readonly values: readonly (Comparable | null)[];
  readonly id: string;
}

export function sortPositionOf(resource: Record<string, unknown>, keys: readonly SortKey[]): SortPosition {
  return { values: keys.map((key) => sortValue(resource, key)), id: String(resource.id) };
}

/** Orders two positions by the keys, then by id; customers lacking a value come last. */
export function compareSortPositions(a: SortPosition, b: SortPosition, keys: readonly SortKey[]): number {
  for (const [index, key] of keys.entries()) {
    const left = a.values[index] ?? null;
    const right = b.values[index] ?? null;
    if (!left || !right) {
      if (left !== right) return left ? -1 : 1; // missing values last, whatever the direction
      continue;
    }
    const order = left[0] !== right[0] ? left[0] - right[0] : left[1] < right[1] ? -1 : left[1] > right[1] ? 1 : 0;
    if (order !== 0) return key.descending ? -order : order;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
