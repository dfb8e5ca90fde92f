/** How a stored customer is shown to a client. */
import type { StoredCustomer } from './ports.js';

export interface ResourceContext {
  /** Absolute URL of the API base path as the client addresses it, without a trailing slash. */
  readonly baseUrl: string;
  /** Epoch ms by which long reads must stop and answer (default: no limit). */
  readonly deadline?: number;
}

export type CustomerResource = Record<string, unknown> & { id: string; href: string };

export function hrefOf(id: string, context: ResourceContext): string {
  return `${context.baseUrl}/customer/${id}`;
}

/** The full representation: id and href first, the stored attributes after. */
export function represent(stored: StoredCustomer, context: ResourceContext): CustomerResource {
  const id = stored.doc.id;
  const { id: _id, href: _href, ...attributes } = stored.doc;
  return { id, href: hrefOf(id, context), ...attributes };
}

/** Strong entity tag of a stored version. */
export function etagOf(stored: StoredCustomer): string {
  return `"${stored.version}"`;
}
