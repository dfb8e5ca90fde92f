/** How a stored customer is shown to a client. */
import type { AttributeTypes } from './attributes.js';
import type { StoredCustomer } from './ports.js';
import { customerV4Of } from './v5/customerMapping.js';

export interface ResourceContext {
  /** Absolute URL of the API base path as the client addresses it, without a trailing slash. */
  readonly baseUrl: string;
  /** Epoch ms by which long reads must stop and answer (default: no limit). */
  readonly deadline?: number;
  /** The API version's view of customers (default: v4's). */
  readonly view?: CustomerView;
}

/** How one API version shows, filters and indexes customers. */
export interface CustomerView {
  readonly represent: (stored: StoredCustomer, context: ResourceContext) => CustomerResource;
  readonly attributeTypes: AttributeTypes;
  /**
   * The stored (v4) attribute path an index keeps for an attribute of this view, when the index
   * may narrow a filter on it; the filter is then still checked on each customer read.
   */
  readonly indexedPathOf: (attribute: string) => string | undefined;
}

export type CustomerResource = Record<string, unknown> & { id: string; href: string };

export function hrefOf(id: string, context: ResourceContext): string {
  return `${context.baseUrl}/customer/${id}`;
}

/** The full representation: id and href first, the stored attributes after. */
export function represent(stored: StoredCustomer, context: ResourceContext): CustomerResource {
  if (context.view) return context.view.represent(stored, context);
  const id = stored.doc.id;
  // What only v5 can express is never shown to v4 (free for customers that hold none).
  const { id: _id, href: _href, ...attributes } = customerV4Of(stored.doc);
  return { id, href: hrefOf(id, context), ...attributes };
}

/** Strong entity tag of a stored version. */
export function etagOf(stored: StoredCustomer): string {
  return `"${stored.version}"`;
}
