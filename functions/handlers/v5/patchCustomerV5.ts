/** patchCustomer (v5): PATCH /tmf-api/customer/v5/customer/{id} in the four media types v5 declares. */
import { patchCustomerV5 } from '../../domain/v5/patchCustomerV5.js';
import { v5Context } from '../../domain/v5/v5View.js';
import { tmfHandler } from '../../http/chain.js';
import { json } from '../../http/response.js';
import { PATCH_MEDIA_TYPES, patchFormatOf } from '../../http/patchMediaTypes.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler(
    'patchCustomerV5',
    chain,
    async (request) => {
      const { customer, etag } = await patchCustomerV5(
        customers,
        request.pathParameters.id ?? '',
        request.body,
        patchFormatOf(request.mediaType),
        { ifMatch: request.headers['if-match'] },
        v5Context({ baseUrl: request.baseUrl }),
      );
      return json(200, customer, { ETag: etag });
    },
    { body: { mediaTypes: PATCH_MEDIA_TYPES } },
  ),
);
