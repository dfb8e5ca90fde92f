/** deleteCustomer: DELETE /customer/{id} -> 204. */
import { deleteCustomer } from '../domain/deleteCustomer.js';
import { tmfHandler } from '../http/chain.js';
import { noContent } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler('deleteCustomer', chain, async (request) => {
    await deleteCustomer(customers, request.pathParameters.id ?? '', { ifMatch: request.headers['if-match'] });
    return noContent();
  }),
);
