/** listCustomer: GET /customer -> 200 (all matches) or 206 (a page of them). */
import { listCustomer } from './domain/customer.js';
import { tmfHandler } from './http/chain.js';
import { page } from './http/response.js';

export const handler = tmfHandler(async (request) => {
  const { customers, totalCount } = await listCustomer(request.query, { baseUrl: request.baseUrl });
  return page({ items: customers, totalCount });
});
