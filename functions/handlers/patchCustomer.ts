/** patchCustomer: PATCH /customer/{id} -> 200 with the updated Customer. The format follows the Content-Type. */
import { patchCustomer } from '../domain/patchCustomer.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { PATCH_MEDIA_TYPES, patchFormatOf } from '../http/patchMediaTypes.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler(
    'patchCustomer',
    chain,
    async (request) => {
      const { customer, etag } = await patchCustomer(
        customers,
        request.pathParameters.id ?? '',
        request.body,
        patchFormatOf(request.mediaType),
        { ifMatch: request.headers['if-match'] },
        { baseUrl: request.baseUrl },
      );
      return json(200, customer, { ETag: etag });
    },
    { body: { mediaTypes: PATCH_MEDIA_TYPES } },
  ),
);
