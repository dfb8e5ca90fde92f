/** patchCustomer: PATCH /customer/{id} -> 200 with the updated Customer. */
import { patchCustomer } from './domain/customer.js';
import { tmfHandler } from './http/chain.js';
import { json } from './http/response.js';

export const handler = tmfHandler(
  async (request) => {
    const { customer, etag } = await patchCustomer(request.pathParameters.id ?? '', request.body, {
      baseUrl: request.baseUrl,
    });
    return json(200, customer, { ETag: etag });
  },
  // Plain JSON is read as a JSON Merge Patch, as the TMF629 CTK sends it.
  { body: { mediaTypes: ['application/json', 'application/merge-patch+json'] } },
);
