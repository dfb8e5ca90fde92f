/** createCustomer: validates a Customer_Create, gives it an id and stores it. */
import { ulid } from 'ulid';
import { ValidationError } from '../errors.js';
import {
  CUSTOMER_TYPE,
  assertStorable,
  isObject,
  versioned,
  type ResourceContext,
  type VersionedCustomer,
} from './customer.js';
import type { CustomerDocument, CustomerStore } from './ports.js';
import { check } from './validation.js';
import { namesPocket, POCKET } from './v5/customerMapping.js';

export async function createCustomer(
  store: CustomerStore,
  body: unknown,
  context: ResourceContext,
): Promise<VersionedCustomer> {
  if (!isObject(body)) throw new ValidationError('The body must be a JSON object describing a Customer');
  for (const attribute of ['id', 'href']) {
    if (attribute in body)
      throw new ValidationError(`${attribute}: is set by the server and cannot be given in a create`);
  }
  if (namesPocket(body)) throw new ValidationError(`${POCKET}: is reserved by the service and cannot be given`);
  // Loaded on first use, so the validator's code is not part of the function's cold start.
  const { validateCustomerCreate } = await import('../generated/validateCustomerCreate.cjs');
  check(validateCustomerCreate, body, 'Customer');
  const doc: CustomerDocument = { id: ulid(), ...body, '@type': body['@type'] ?? CUSTOMER_TYPE };
  assertStorable(store, doc);
  return versioned(await store.insertCustomer(doc), context);
}
