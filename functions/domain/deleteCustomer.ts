/** deleteCustomer: removes the customer as read, or as If-Match names it. */
import * as repository from '../repository/customerRepository.js';
import { assertKnownIdShape, onLatestVersion, type WritePreconditions } from './customer.js';

export async function deleteCustomer(id: string, preconditions: WritePreconditions = {}): Promise<void> {
  assertKnownIdShape(id);
  await onLatestVersion(id, preconditions, 'DELETE', (current) => repository.removeCustomer(current));
}
