/** deleteCustomer: removes the customer as read, or as If-Match names it. */
import { ConflictError, PreconditionFailedError } from '../errors.js';
import * as repository from '../repository/customerRepository.js';
import {
  WRITE_ATTEMPTS,
  assertIfMatch,
  assertKnownIdShape,
  backoff,
  findOrFail,
  type WritePreconditions,
} from './customer.js';

export async function deleteCustomer(id: string, preconditions: WritePreconditions = {}): Promise<void> {
  assertKnownIdShape(id);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const current = await findOrFail(id);
    assertIfMatch(current, preconditions);
    try {
      await repository.removeCustomer(current);
      return;
    } catch (error) {
      if (!(error instanceof repository.StaleVersionError)) throw error;
      if (preconditions.ifMatch) {
        throw new PreconditionFailedError('The customer changed while this DELETE was applied; nothing was deleted');
      }
      await backoff(attempt);
    }
  }
  throw new ConflictError(`Customer "${id}" is being changed by others too often; retry the DELETE`);
}
