/** listCustomer: GET /customer -> 200 (all matches) or 206 (a page of them), with paging headers and Link. */
import { listCustomer } from './domain/listCustomer.js';
import { tmfHandler } from './http/chain.js';
import { page } from './http/response.js';

export const handler = tmfHandler('listCustomer', async (request) => {
  const { customers, totalCount, offset, limit, nextCursor } = await listCustomer(request.query, {
    baseUrl: request.baseUrl,
    deadline: request.deadline,
  });
  return page(
    { items: customers, totalCount, offset, limit, nextCursor },
    { url: `${request.baseUrl}/customer`, query: request.query },
  );
});
