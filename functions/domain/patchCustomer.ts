/** patchCustomer: applies a patch in any TMF format to the latest version, or to the one If-Match names. */
import { isDeepStrictEqual } from 'node:util';
import { ValidationError } from '../errors.js';
import {
  CUSTOMER_TYPE,
  assertKnownIdShape,
  assertStorable,
  isObject,
  onLatestVersion,
  versioned,
  type ResourceContext,
  type VersionedCustomer,
  type WritePreconditions,
} from './customer.js';
import type { PatchFormat } from './patch.js';
import type { CustomerDocument, CustomerStore } from './ports.js';
import { represent } from './representation.js';
import { check } from './validation.js';
import { namesPocket, POCKET, storedFromV4 } from './v5/customerMapping.js';

export type { PatchFormat } from './patch.js';

/**
 * Applies a patch to the latest version. Without If-Match, a concurrent write makes it re-read
 * and re-apply (bounded); with If-Match, the version must be the one the client named.
 */
export async function patchCustomer(
  store: CustomerStore,
  id: string,
  body: unknown,
  format: PatchFormat,
  preconditions: WritePreconditions,
  context: ResourceContext,
): Promise<VersionedCustomer> {
  assertKnownIdShape(id);
  if (format === 'merge' && isObject(body)) {
    for (const attribute of ['id', 'href']) {
      if (attribute in body) throw new ValidationError(`${attribute}: is set by the server and cannot be patched`);
    }
  }
  // Loaded on first use: the validator and the patch engines are most of this bundle, and a
  // function that has not patched yet need not have paid for them at cold start.
  const [{ applyPatchDocument }, { validateCustomer }] = await Promise.all([
    import('./patch.js'),
    import('../generated/validateCustomer.cjs'),
  ]);
  return onLatestVersion(store, id, preconditions, 'PATCH', async (current) => {
    const before = represent(current, context);
    const patched = await applyPatchDocument(before, body, format, store.maxCustomerBytes);
    for (const attribute of ['id', 'href'] as const) {
      if (!isDeepStrictEqual(patched[attribute], before[attribute])) {
        throw new ValidationError(`${attribute}: is set by the server and cannot be patched`);
      }
    }
    if (namesPocket(patched)) throw new ValidationError(`${POCKET}: is reserved by the service and cannot be patched`);
    const { href: _href, ...patchedDoc } = patched;
    patchedDoc['@type'] ??= CUSTOMER_TYPE;
    check(validateCustomer, patchedDoc, 'Customer');
    // What only v5 expressed stays with the nodes it belongs to (customerMapping.ts).
    const doc: CustomerDocument = storedFromV4({ ...patchedDoc, id: current.doc.id }, current.doc);
    // A patch that leaves the customer as it was writes nothing: no new version, no event.
    if (isDeepStrictEqual(current.doc, doc)) return versioned(current, context);
    assertStorable(store, doc);
    // A StaleVersionError here makes onLatestVersion re-read and apply the patch to the newer version.
    return versioned(await store.replaceCustomer(doc, current), context);
  });
}
