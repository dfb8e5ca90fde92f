/** createCustomer (v5): POST /tmf-api/customer/v5/customer with a Customer_FVO -> 201. */
import { createCustomerV5, v5Context } from '../../domain/v5/customerV5.js';
import { tmfHandler } from '../../http/chain.js';
import { json } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler(
    'createCustomerV5',
    chain,
    async (request) => {
      const { customer, etag } = await createCustomerV5(
        customers,
        request.body,
        v5Context({ baseUrl: request.baseUrl }),
      );
      return json(201, customer, { Location: customer.href, ETag: etag });
    },
    { body: { mediaTypes: ['application/json'] } },
  ),
);
