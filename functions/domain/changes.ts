/** What a write changed, for notifications: the first-level attributes whose value differs. */
import { isDeepStrictEqual } from 'node:util';

export interface CustomerChanges {
  /** First-level attribute names added, removed or changed, sorted. */
  readonly attributes: readonly string[];
  readonly statusChanged: boolean;
}

export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): CustomerChanges {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const attributes = [...names].filter((name) => !isDeepStrictEqual(before[name], after[name])).sort();
  return { attributes, statusChanged: attributes.includes('status') };
}
