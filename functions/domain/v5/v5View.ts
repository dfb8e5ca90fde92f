/**
 * TMF629 v5 over the same customers as v4: the v5 view (representation, attribute paths, which
 * index narrows which v5 attribute). Reads, deletes, paging, cursors and preconditions are the v4
 * operations' own, run through this view; one version counter and one ETag serve both versions.
 * The v5 writes are in customerV5.ts.
 */
import { customerAttributeTypesV5 } from '../../generated/v5/customerAttributes.js';
import type { ResourceContext } from '../customer.js';
import type { StoredCustomer } from '../ports.js';
import { hrefOf, type CustomerResource, type CustomerView } from '../representation.js';
import { customerV5Of } from './customerMapping.js';

/**
 * v5 attributes an index keeps under their v4 path. The index may hold more than the v5
 * attribute does (a v4 `phone` medium with an emailAddress beside its number), so it only
 * narrows: each customer it names is checked against the filter.
 */
const INDEXED_PATHS: Readonly<Record<string, string>> = {
  'contactMedium.emailAddress': 'contactMedium.characteristic.emailAddress',
  'contactMedium.phoneNumber': 'contactMedium.characteristic.phoneNumber',
  'contactMedium.city': 'contactMedium.characteristic.city',
  'contactMedium.postCode': 'contactMedium.characteristic.postCode',
  'relatedParty.partyOrPartyRole.id': 'relatedParty.id',
};

function representV5(stored: StoredCustomer, context: ResourceContext): CustomerResource {
  const { id: _id, href: _href, ...attributes } = customerV5Of(stored.doc);
  return { id: stored.doc.id, href: hrefOf(stored.doc.id, context), ...attributes };
}

export const v5View: CustomerView = {
  represent: representV5,
  attributeTypes: customerAttributeTypesV5,
  indexedPathOf: (attribute) => {
    if (Object.hasOwn(INDEXED_PATHS, attribute)) return INDEXED_PATHS[attribute];
    // Attributes both versions hold at the same path (name, status, engagedParty.id, ...).
    return attribute.startsWith('contactMedium.') || attribute.startsWith('relatedParty.') ? undefined : attribute;
  },
};

/** The context of a v5 request: its base URL and the v5 view. */
export function v5Context(context: Omit<ResourceContext, 'view'>): ResourceContext {
  return { ...context, view: v5View };
}
