/**
 * The v5 creates (the API's and the import's rule; PATCH in patchCustomerV5.ts) over the same customers as v4, through
 * the v5 view (v5View.ts). Kept apart from the view so the v5 read functions do not load the
 * write path (the PATCH core, the v4 validator) at their cold start.
 */
import { customerCreateValidatorV5, customerValidatorV5 } from './validatorsV5.js';
import { ulid } from 'ulid';
import { ValidationError } from '../../errors.js';
import {
  assertStorable,
  isObject,
  type StorageLimits,
  type ResourceContext,
  type VersionedCustomer,
} from '../customer.js';
import type { CustomerDocument, CustomerStore, StoredCustomer } from '../ports.js';
import { etagOf } from '../representation.js';
import { check } from '../validation.js';
import { customerV4Of, namesPocket, POCKET, storedFromV5 } from './customerMapping.js';
import { v5View } from './v5View.js';

export { v5Context, v5View } from './v5View.js';

export const CUSTOMER_TYPE_V5 = 'Customer';

function versionedV5(stored: StoredCustomer, context: ResourceContext): VersionedCustomer {
  return { customer: v5View.represent(stored, context), etag: etagOf(stored) };
}

function refuseServerAttributes(body: Record<string, unknown>, verb: string): void {
  for (const attribute of ['id', 'href']) {
    if (attribute in body) throw new ValidationError(`${attribute}: is set by the server and cannot be ${verb}`);
  }
  if (namesPocket(body)) throw new ValidationError(`${POCKET}: is reserved by the service and cannot be ${verb}`);
}

export function assertCustomerType(customer: Record<string, unknown>): void {
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
export async function assertReadableInV4(doc: CustomerDocument): Promise<void> {
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
