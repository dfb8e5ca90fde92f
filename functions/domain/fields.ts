/**
 * TMF630 attribute selection (`fields=`): the named attributes, first-level or dotted
 * (`engagedParty.id`, `contactMedium.mediumType` across every element), plus id and href;
 * `fields=none` gives id and href alone.
 */
import { InvalidQueryError } from '../errors.js';
import { splitPath } from './attributes.js';

const ALWAYS_KEPT = ['id', 'href'] as const;

/** A tree of selected paths; `true` keeps the whole value. undefined = the whole resource. */
export type FieldSelection = ReadonlyMap<string, FieldTree> | undefined;
type FieldTree = true | Map<string, FieldTree>;

export function parseFields(values: readonly string[] | undefined): FieldSelection {
  if (values === undefined || values.length === 0) return undefined;
  const selection = new Map<string, FieldTree>(ALWAYS_KEPT.map((name) => [name, true]));
  for (const name of values.flatMap((value) => value.split(',')).map((n) => n.trim())) {
    if (name === 'none' || name === '') continue;
    const path = splitPath(name);
    if (!path) throw new InvalidQueryError(`fields: "${name.slice(0, 64)}" is not an attribute name`);
    let node = selection;
    for (const [i, segment] of path.entries()) {
      const existing = node.get(segment);
      if (existing === true) break; // an ancestor is selected whole already
      if (i === path.length - 1) {
        node.set(segment, true);
        break;
      }
      const child = existing ?? new Map<string, FieldTree>();
      node.set(segment, child);
      node = child;
    }
  }
  return selection;
}

function projectValue(value: unknown, tree: FieldTree): unknown {
  if (tree === true) return value;
  if (Array.isArray(value)) return value.map((item) => projectValue(item, tree)).filter((item) => item !== undefined);
  if (value === null || typeof value !== 'object') return undefined;
  const projected: Record<string, unknown> = {};
  for (const [key, child] of tree) {
    if (!Object.hasOwn(value, key)) continue;
    const inner = projectValue((value as Record<string, unknown>)[key], child);
    if (inner !== undefined) projected[key] = inner;
  }
  return projected;
}

export function project(resource: Record<string, unknown>, selection: FieldSelection): Record<string, unknown> {
  if (!selection) return resource;
  const projected: Record<string, unknown> = {};
  // Keep the resource's attribute order.
  for (const [key, value] of Object.entries(resource)) {
    const tree = selection.get(key);
    if (tree === undefined) continue;
    const inner = projectValue(value, tree);
    if (inner !== undefined) projected[key] = inner;
  }
  return projected;
}
