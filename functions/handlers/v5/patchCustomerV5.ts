/** patchCustomer (v5): PATCH /tmf-api/customer/v5/customer/{id} in the four media types v5 declares. */
import type { PatchFormat } from '../../domain/patchCustomer.js';
import { patchCustomerV5, v5Context } from '../../domain/v5/customerV5.js';
import { tmfHandler } from '../../http/chain.js';
import { json } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

const formats: Record<string, PatchFormat> = {
  'application/json': 'merge',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json-patch',
  'application/json-patch-query+json': 'json-patch-query',
};

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler(
    'patchCustomerV5',
    chain,
    async (request) => {
      const { customer, etag } = await patchCustomerV5(
        customers,
        request.pathParameters.id ?? '',
        request.body,
        formats[request.mediaType ?? ''] ?? 'merge',
        { ifMatch: request.headers['if-match'] },
        v5Context({ baseUrl: request.baseUrl }),
      );
      return json(200, customer, { ETag: etag });
    },
    { body: { mediaTypes: Object.keys(formats) } },
  ),
);
