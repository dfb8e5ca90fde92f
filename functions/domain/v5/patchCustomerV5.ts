/** A v5 PATCH: the one PATCH core (domain/patchCustomer.ts) in v5's representation and paths. */
import { isDeepStrictEqual } from 'node:util';
import { patchCustomerIn, type PatchedVersion, type PatchOperation } from '../patchCustomer.js';
import type { CustomerDocument } from '../ports.js';
import { check } from '../validation.js';
import { assertCustomerType, assertReadableInV4 } from './customerV5.js';
import { storedFromV5 } from './customerMapping.js';
import { customerValidatorV5 } from './validatorsV5.js';
import { v5View } from './v5View.js';

const V5: PatchedVersion = {
  view: v5View,
  async storedOf(patched, current) {
    check(await customerValidatorV5(), patched, 'Customer');
    assertCustomerType(patched);
    // Every node whose v5 view is unchanged is kept as stored: v4-only details survive.
    const doc = storedFromV5({ ...patched, id: current.id }, current) as CustomerDocument;
    if (!isDeepStrictEqual(current, doc)) await assertReadableInV4(doc);
    return doc;
  },
};

export const patchCustomerV5: PatchOperation = patchCustomerIn(V5);
