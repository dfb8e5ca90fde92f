/** listCustomer: GET /customer -> 200 (all matches) or 206 (a page of them), with paging headers and Link. */
import { listCustomer } from '../domain/listCustomer.js';
import { tmfHandler } from '../http/chain.js';
import { page } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, settings, customers }) =>
  tmfHandler('listCustomer', chain, async (request) => {
    const {
      customers: found,
      totalCount,
      offset,
      limit,
      nextCursor,
    } = await listCustomer(customers, settings, request.query, {
      baseUrl: request.baseUrl,
      deadline: request.deadline,
    });
    return page(
      { items: found, totalCount, offset, limit, nextCursor },
      { url: `${request.baseUrl}/customer`, query: request.query },
    );
  }),
);
