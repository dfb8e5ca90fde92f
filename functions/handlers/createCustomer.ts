/** createCustomer: POST /customer -> 201 with the new Customer and its Location. */
import { createCustomer } from '../domain/createCustomer.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler(
    'createCustomer',
    chain,
    async (request) => {
      const { customer, etag } = await createCustomer(customers, request.body, { baseUrl: request.baseUrl });
      return json(201, customer, { Location: customer.href, ETag: etag });
    },
    { body: { mediaTypes: ['application/json'] } },
  ),
);
