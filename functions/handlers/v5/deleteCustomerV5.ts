/** deleteCustomer (v5): DELETE /tmf-api/customer/v5/customer/{id} -> 204 (the same customer v4 deletes). */
import { deleteCustomer } from '../../domain/deleteCustomer.js';
import { tmfHandler } from '../../http/chain.js';
import { noContent } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler('deleteCustomerV5', chain, async (request) => {
    await deleteCustomer(customers, request.pathParameters.id ?? '', { ifMatch: request.headers['if-match'] });
    return noContent();
  }),
);
