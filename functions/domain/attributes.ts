/** Attribute paths of a Customer as the swagger types them, and reading values along a path. */
import { customerAttributeTypes, type AttributeType } from '../generated/customerAttributes.js';

export type { AttributeType };

/**
 * One step of a path: an attribute name, optionally with an element selector by name
 * (`characteristic[segment]`: the elements of `characteristic` whose `name` is `segment`).
 */
const SEGMENT = /^@?[A-Za-z_][A-Za-z0-9_]*(?:\[[^[\].=&,]{1,64}\])?$/;
const SELECTOR = /^(.*)\[(.*)\]$/;

/** Splits a dotted attribute path, refusing anything that is not one. */
export function splitPath(path: string): string[] | undefined {
  const segments = path.split('.');
  return segments.every((segment) => SEGMENT.test(segment)) ? segments : undefined;
}

/** The path without element selectors: `characteristic[segment].value` -> `characteristic.value`. */
export function withoutSelectors(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '');
}

/**
 * The schema type of a dotted path; paths below an untyped value (`characteristic.value.x`) are
 * untyped too. A selector is allowed on an array of elements that have a `name`.
 */
export type AttributeTypes = Readonly<Record<string, AttributeType>>;

export function attributeTypeOf(
  selected: string,
  types: AttributeTypes = customerAttributeTypes,
): AttributeType | undefined {
  // hasOwn: a path such as `__proto__` or `constructor` must not find Object.prototype's members.
  const typeOf = (candidate: string) => (Object.hasOwn(types, candidate) ? types[candidate] : undefined);
  const segments = selected.split('.');
  for (let end = 1; end <= segments.length; end++) {
    if (SELECTOR.test(segments[end - 1] ?? '')) {
      const array = withoutSelectors(segments.slice(0, end).join('.'));
      if (typeOf(`${array}.name`) !== 'string') return undefined;
    }
  }
  const path = withoutSelectors(selected);
  const direct = typeOf(path);
  if (direct) return direct;
  const plain = path.split('.');
  for (let end = plain.length - 1; end > 0; end--) {
    if (typeOf(plain.slice(0, end).join('.')) === 'any') return 'any';
  }
  return undefined;
}

/** Every value found along a path; arrays at any step (and at the end) contribute each element. */
export function valuesAt(resource: unknown, path: readonly string[]): unknown[] {
  const isRecord = (item: unknown): item is Record<string, unknown> =>
    item !== null && typeof item === 'object' && !Array.isArray(item);
  let current: unknown[] = [resource];
  for (const step of path) {
    const selector = SELECTOR.exec(step);
    const segment = selector ? (selector[1] as string) : step;
    const next: unknown[] = [];
    for (const value of current) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (isRecord(item) && Object.hasOwn(item, segment)) next.push(item[segment]);
      }
    }
    current = selector
      ? next
          .flatMap((value) => (Array.isArray(value) ? value : [value]))
          .filter((e) => isRecord(e) && e.name === selector[2])
      : next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}
