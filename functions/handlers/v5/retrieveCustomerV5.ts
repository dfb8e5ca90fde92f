/** retrieveCustomer (v5): GET /tmf-api/customer/v5/customer/{id}, with the ETag v4 reads give too. */
import { retrieveCustomer } from '../../domain/retrieveCustomer.js';
import { v5Context } from '../../domain/v5/v5View.js';
import { tmfHandler } from '../../http/chain.js';
import { json } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler('retrieveCustomerV5', chain, async (request) => {
    const { customer, etag } = await retrieveCustomer(
      customers,
      request.pathParameters.id ?? '',
      request.query,
      v5Context({ baseUrl: request.baseUrl }),
    );
    return json(200, customer, { ETag: etag });
  }),
);
