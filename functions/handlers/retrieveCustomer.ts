/** retrieveCustomer: GET /customer/{id} -> 200 with the Customer (or the selected fields). */
import { retrieveCustomer } from '../domain/retrieveCustomer.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler('retrieveCustomer', chain, async (request) => {
    const { customer, etag } = await retrieveCustomer(customers, request.pathParameters.id ?? '', request.query, {
      baseUrl: request.baseUrl,
    });
    return json(200, customer, { ETag: etag });
  }),
);
