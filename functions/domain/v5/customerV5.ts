/**
 * TMF629 v5 over the same customers as v4: the v5 view (representation, attribute paths, which
 * index narrows which v5 attribute), and the v5 writes. Reads, deletes, paging, cursors and
 * preconditions are the v4 operations' own, run through this view; one version counter and one
 * ETag serve both versions.
 */
import { customerCreateValidatorV5, customerValidatorV5 } from './validatorsV5.js';
import { isDeepStrictEqual } from 'node:util';
import { ulid } from 'ulid';
import { ValidationError } from '../../errors.js';
import { customerAttributeTypesV5 } from '../../generated/v5/customerAttributes.js';
import {
  assertStorable,
  isObject,
  type StorageLimits,
  type ResourceContext,
  type VersionedCustomer,
} from '../customer.js';
import { patchCustomerIn, type PatchedVersion, type PatchOperation } from '../patchCustomer.js';
import type { CustomerDocument, CustomerStore, StoredCustomer } from '../ports.js';
import { etagOf, hrefOf, type CustomerResource, type CustomerView } from '../representation.js';
import { check } from '../validation.js';
import { customerV4Of, customerV5Of, namesPocket, POCKET, storedFromV5 } from './customerMapping.js';

export const CUSTOMER_TYPE_V5 = 'Customer';

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

function versionedV5(stored: StoredCustomer, context: ResourceContext): VersionedCustomer {
  return { customer: representV5(stored, context), etag: etagOf(stored) };
}

function refuseServerAttributes(body: Record<string, unknown>, verb: string): void {
  for (const attribute of ['id', 'href']) {
    if (attribute in body) throw new ValidationError(`${attribute}: is set by the server and cannot be ${verb}`);
  }
  if (namesPocket(body)) throw new ValidationError(`${POCKET}: is reserved by the service and cannot be ${verb}`);
}

function assertCustomerType(customer: Record<string, unknown>): void {
  if (customer['@type'] !== CUSTOMER_TYPE_V5) {
    throw new ValidationError(
      `@type: must be ${CUSTOMER_TYPE_V5} on this resource; got ${JSON.stringify(customer['@type'])?.slice(0, 64)}`,
    );
  }
}

/**
 * Every customer is readable through both versions, so a v5 write must also leave a valid v4
 * customer (v4's profile needs engagedParty.@referredType, account[].name, ...).
 */
async function assertReadableInV4(doc: CustomerDocument): Promise<void> {
  const { validateCustomer } = await import('../../generated/validateCustomer.cjs');
  try {
    check(validateCustomer, customerV4Of(doc), 'As TMF629 v4 reads it, the Customer');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${error.message} (this service serves every customer through v4 too)`);
  }
}

/**
 * The stored document a v5 Customer stands for, under `id`: checked against the v5 schema (the
 * create's Customer_FVO; for an import, the Customer that export writes, which may hold what only
 * a PATCH sets, such as a contact medium's id) and as v4 reads it. One rule for createCustomerV5
 * and for `import --representation v5`.
 */
export async function storedFromV5Create(
  body: Record<string, unknown>,
  id: string,
  limits: StorageLimits,
  schema: 'Customer_FVO' | 'Customer' = 'Customer_FVO',
): Promise<CustomerDocument> {
  if (namesPocket(body)) throw new ValidationError(`${POCKET}: is reserved by the service and cannot be given`);
  const validator = schema === 'Customer' ? await customerValidatorV5() : await customerCreateValidatorV5();
  check(validator, body, schema);
  assertCustomerType(body);
  const doc = storedFromV5({ id, ...body }) as CustomerDocument;
  await assertReadableInV4(doc);
  assertStorable(limits, doc);
  return doc;
}

export async function createCustomerV5(
  store: CustomerStore,
  body: unknown,
  context: ResourceContext,
): Promise<VersionedCustomer> {
  if (!isObject(body)) throw new ValidationError('The body must be a JSON object describing a Customer_FVO');
  refuseServerAttributes(body, 'given in a create');
  const doc = await storedFromV5Create(body, ulid(), store);
  return versionedV5(await store.insertCustomer(doc), context);
}

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

/** A v5 PATCH: the one PATCH core (domain/patchCustomer.ts) in v5's representation and paths. */
export const patchCustomerV5: PatchOperation = patchCustomerIn(V5);
