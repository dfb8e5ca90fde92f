/** TMF630 attribute selection (`fields=`): the named first-level attributes plus id and href. */
import { InvalidQueryError } from '../errors.js';

const ALWAYS_KEPT = ['id', 'href'] as const;
const ATTRIBUTE_NAME = /^@?[A-Za-z_][A-Za-z0-9_]*$/;

/** undefined = the whole resource. */
export type FieldSelection = ReadonlySet<string> | undefined;

export function parseFields(values: readonly string[] | undefined): FieldSelection {
  if (values === undefined || values.length === 0) return undefined;
  const names = values.flatMap((value) => value.split(',')).map((name) => name.trim());
  const selection = new Set<string>(ALWAYS_KEPT);
  for (const name of names) {
    if (name === 'none' || name === '') continue;
    if (!ATTRIBUTE_NAME.test(name)) {
      throw new InvalidQueryError(`fields: "${name.slice(0, 64)}" is not an attribute name`);
    }
    selection.add(name);
  }
  return selection;
}

export function project(resource: Record<string, unknown>, selection: FieldSelection): Record<string, unknown> {
  if (!selection) return resource;
  const projected: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (selection.has(key)) projected[key] = value;
  }
  return projected;
}
