/** listCustomer (v5): GET /tmf-api/customer/v5/customer, the v4 query engine through the v5 view. */
import { listCustomer } from '../../domain/listCustomer.js';
import { v5Context } from '../../domain/v5/v5View.js';
import { tmfHandler } from '../../http/chain.js';
import { page } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, settings, customers }) =>
  tmfHandler('listCustomerV5', chain, async (request) => {
    const found = await listCustomer(
      customers,
      settings,
      request.query,
      v5Context({ baseUrl: request.baseUrl, deadline: request.deadline }),
    );
    return page(
      {
        items: found.customers,
        totalCount: found.totalCount,
        offset: found.offset,
        limit: found.limit,
        nextCursor: found.nextCursor,
      },
      { url: `${request.baseUrl}/customer`, query: request.query },
    );
  }),
);
