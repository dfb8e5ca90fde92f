/**
 * TMF630 sorting: `sort=name,-creditProfile.creditScore`. Values compare by the schema's type;
 * an attribute that is an array sorts by its first value; customers lacking the attribute come
 * last; ties are broken by id, so pages are stable.
 */
import { InvalidQueryError } from '../errors.js';
import { attributeTypeOf, splitPath, valuesAt, type AttributeType } from './attributes.js';
import { instantOf } from './filter.js';

export interface SortKey {
  readonly attribute: string;
  readonly path: readonly string[];
  readonly descending: boolean;
  readonly type: AttributeType;
}

export function parseSort(values: readonly string[] | undefined): SortKey[] {
  if (!values || values.length === 0) return [];
  if (values.length > 1) throw new InvalidQueryError('sort: given more than once; list the keys comma-separated');
  return (values[0] ?? '')
    .split(',')
    .filter((key) => key !== '')
    .map((key) => {
      const descending = key.startsWith('-');
      const attribute = key.replace(/^[-+]/, '');
      const path = splitPath(attribute);
      const type = path ? attributeTypeOf(attribute) : undefined;
      if (!path || !type)
        throw new InvalidQueryError(`sort: ${attribute.slice(0, 64)} is not an attribute of Customer`);
      if (type === 'object')
        throw new InvalidQueryError(`sort: ${attribute} is an object; sort by one of its attributes`);
      return { attribute, path, descending, type };
    });
}

type Comparable = { kind: number; value: number | string };

/** A sortable form of a value; kinds order mixed untyped values: booleans, numbers, strings. */
function comparable(value: unknown, type: AttributeType): Comparable | undefined {
  if (type === 'date-time' && typeof value === 'string') {
    const instant = instantOf(value);
    return instant === undefined ? { kind: 2, value } : { kind: 1, value: instant };
  }
  if (typeof value === 'boolean') return { kind: 0, value: value ? 1 : 0 };
  if (typeof value === 'number') return { kind: 1, value };
  if (typeof value === 'string') return { kind: 2, value };
  return undefined;
}

function sortValue(resource: unknown, key: SortKey): Comparable | undefined {
  for (const value of valuesAt(resource, key.path)) {
    const result = comparable(value, key.type);
    if (result) return result;
  }
  return undefined;
}

export type Comparator = (a: Record<string, unknown>, b: Record<string, unknown>) => number;

export function comparatorOf(keys: readonly SortKey[]): Comparator {
  return (a, b) => {
    for (const key of keys) {
      const left = sortValue(a, key);
      const right = sortValue(b, key);
      if (!left || !right) {
        if (left !== right) return left ? -1 : 1; // missing values last, whatever the direction
        continue;
      }
      const order =
        left.kind !== right.kind
          ? left.kind - right.kind
          : left.value < right.value
            ? -1
            : left.value > right.value
              ? 1
              : 0;
      if (order !== 0) return key.descending ? -order : order;
    }
    const [idA, idB] = [String(a.id), String(b.id)];
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
}
