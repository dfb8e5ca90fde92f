/** deleteCustomer: DELETE /customer/{id} -> 204. */
import { deleteCustomer } from './domain/deleteCustomer.js';
import { tmfHandler } from './http/chain.js';
import { noContent } from './http/response.js';

export const handler = tmfHandler('deleteCustomer', async (request) => {
  await deleteCustomer(request.pathParameters.id ?? '', { ifMatch: request.headers['if-match'] });
  return noContent();
});
