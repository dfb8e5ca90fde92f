/**
 * patchCustomer: applies a patch in any TMF format to the latest version, or to the one If-Match
 * names. One core for both versions: a version brings its attribute paths and how a patched
 * representation becomes the stored document (patchCustomerV5 in v5/customerV5.ts).
 */
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
import { represent, type CustomerView } from './representation.js';
import { check } from './validation.js';
import { namesPocket, POCKET, storedFromV4 } from './v5/customerMapping.js';

export type { PatchFormat } from './patch.js';

/** What a TMF629 version brings to a PATCH. */
export interface PatchedVersion {
  /**
   * The version's view (its representation, and its attribute paths for JSON Patch Query); v4's
   * own when absent.
   */
  readonly view?: CustomerView;
  /**
   * The stored document the patched representation (without `href`) stands for, or a
   * ValidationError naming why it is not a valid Customer of this version.
   */
  storedOf(patched: Record<string, unknown>, current: CustomerDocument): Promise<CustomerDocument>;
}

const V4: PatchedVersion = {
  async storedOf(patched, current) {
    // Loaded on first use: the validator is much of this bundle, and a function that has not
    // patched yet need not have paid for it at cold start.
    const { validateCustomer } = await import('../generated/validateCustomer.cjs');
    patched['@type'] ??= CUSTOMER_TYPE;
    check(validateCustomer, patched, 'Customer');
    // What only v5 expressed stays with the nodes it belongs to (customerMapping.ts).
    return storedFromV4({ ...patched, id: current.id }, current);
  },
};

export type PatchOperation = (
  store: CustomerStore,
  id: string,
  body: unknown,
  format: PatchFormat,
  preconditions: WritePreconditions,
  context: ResourceContext,
) => Promise<VersionedCustomer>;

/**
 * The PATCH of `version`: applies a patch to the latest version, in that version's
 * representation. Without If-Match, a concurrent write makes it re-read and re-apply (bounded);
 * with If-Match, the version must be the one the client named.
 */
export function patchCustomerIn(version: PatchedVersion): PatchOperation {
  return async (store, id, body, format, preconditions, requestContext) => {
    const context = version.view ? { ...requestContext, view: version.view } : requestContext;
    assertKnownIdShape(id);
    if (format === 'merge' && isObject(body)) {
      for (const attribute of ['id', 'href']) {
        if (attribute in body) throw new ValidationError(`${attribute}: is set by the server and cannot be patched`);
      }
    }
    // Loaded on first use, like the validators: the patch engines are most of this bundle.
    const { applyPatchDocument } = await import('./patch.js');
    return onLatestVersion(store, id, preconditions, 'PATCH', async (current) => {
      const before = represent(current, context);
      const patched = await applyPatchDocument(
        before,
        body,
        format,
        store.maxCustomerBytes,
        version.view?.attributeTypes,
      );
      for (const attribute of ['id', 'href'] as const) {
        if (!isDeepStrictEqual(patched[attribute], before[attribute])) {
          throw new ValidationError(`${attribute}: is set by the server and cannot be patched`);
        }
      }
      if (namesPocket(patched))
        throw new ValidationError(`${POCKET}: is reserved by the service and cannot be patched`);
      const { href: _href, ...patchedAttributes } = patched;
      const doc = await version.storedOf(patchedAttributes, current.doc);
      // A patch that leaves the customer as it was writes nothing: no new version, no event.
      if (isDeepStrictEqual(current.doc, doc)) return versioned(current, context);
      assertStorable(store, doc);
      // A StaleVersionError here makes onLatestVersion re-read and apply the patch to the newer version.
      return versioned(await store.replaceCustomer(doc, current), context);
    });
  };
}

/** A v4 PATCH. */
export const patchCustomer: PatchOperation = patchCustomerIn(V4);
