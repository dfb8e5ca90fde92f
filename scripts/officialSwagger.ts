/**
 * The official TMF629 v4.0.0 swagger in spec/ and the conformance profile's overlay on it: one
 * place for both, read by the generators (validators and types, and the API's description).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const swaggerPath = join(import.meta.dirname, '..', 'spec', 'TMF629-Customer-v4.0.0.swagger.json');

export function readOfficialSwagger<T>(): T {
  return JSON.parse(readFileSync(swaggerPath, 'utf8')) as T;
}

/**
 * Conformance profile 629B: attributes mandatory in responses and input that the swagger leaves
 * optional. (Mandatory children of optional parents are already `required` in the v4 swagger.)
 */
const conformanceOverlay: Record<string, string[]> = {
  Customer: ['name', 'engagedParty'],
  Customer_Create: ['name', 'engagedParty'],
};

/** The definition with the profile's mandatory attributes added to its own `required`. */
export function withConformanceRequired<T extends { required?: string[] }>(name: string, definition: T): T {
  const required = [...new Set([...(definition.required ?? []), ...(conformanceOverlay[name] ?? [])])];
  return { ...definition, ...(required.length > 0 ? { required } : {}) };
}
