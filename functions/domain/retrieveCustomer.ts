/** retrieveCustomer: one customer, or the fields selected of it. */
import { assertKnownIdShape, findOrFail, versioned, type ResourceContext } from './customer.js';
import { project } from './fields.js';
import { parseRetrieveQuery, type QueryParams } from './listQuery.js';
import type { CustomerStore } from './ports.js';

export async function retrieveCustomer(
  store: CustomerStore,
  id: string,
  params: QueryParams,
  context: ResourceContext,
): Promise<{ customer: Record<string, unknown>; etag: string }> {
  const { fields } = parseRetrieveQuery(params);
  assertKnownIdShape(id);
  const { customer, etag } = versioned(await findOrFail(store, id), context);
  return { customer: project(customer, fields), etag };
}
