/** Attribute paths of a Customer as the swagger types them, and reading values along a path. */
import { customerAttributeTypes, type AttributeType } from '../generated/customerAttributes.js';

export type { AttributeType };

const SEGMENT = /^@?[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a dotted attribute path, refusing anything that is not one. */
export function splitPath(path: string): string[] | undefined {
  const segments = path.split('.');
  return segments.every((segment) => SEGMENT.test(segment)) ? segments : undefined;
}

/** The schema type of a dotted path; paths below an untyped value (`characteristic.value.x`) are untyped too. */
export function attributeTypeOf(path: string): AttributeType | undefined {
  // hasOwn: a path such as `__proto__` or `constructor` must not find Object.prototype's members.
  const typeOf = (candidate: string) =>
    Object.hasOwn(customerAttributeTypes, candidate) ? customerAttributeTypes[candidate] : undefined;
  const direct = typeOf(path);
  if (direct) return direct;
  const segments = path.split('.');
  for (let end = segments.length - 1; end > 0; end--) {
    if (typeOf(segments.slice(0, end).join('.')) === 'any') return 'any';
  }
  return undefined;
}

/** Every value found along a path; arrays at any step (and at the end) contribute each element. */
export function valuesAt(resource: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [resource];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.hasOwn(item, segment)) {
          next.push((item as Record<string, unknown>)[segment]);
        }
      }
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}
