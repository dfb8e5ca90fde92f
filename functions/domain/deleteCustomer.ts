/** deleteCustomer: removes the customer as read, or as If-Match names it. */
import { assertKnownIdShape, onLatestVersion, type WritePreconditions } from './customer.js';
import type { CustomerStore } from './ports.js';

export async function deleteCustomer(
  store: CustomerStore,
  id: string,
  preconditions: WritePreconditions = {},
): Promise<void> {
  assertKnownIdShape(id);
  await onLatestVersion(store, id, preconditions, 'DELETE', (current) => store.removeCustomer(current));
}
