/** patchCustomer: PATCH /customer/{id} -> 200 with the updated Customer. The format follows the Content-Type. */
import { patchCustomer, type PatchFormat } from '../domain/patchCustomer.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

const formats: Record<string, PatchFormat> = {
  // Plain JSON is read as a JSON Merge Patch, as the TMF629 CTK sends it.
  'application/json': 'merge',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json-patch',
  'application/json-patch-query+json': 'json-patch-query',
};

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler(
    'patchCustomer',
    chain,
    async (request) => {
      const { customer, etag } = await patchCustomer(
        customers,
        request.pathParameters.id ?? '',
        request.body,
        formats[request.mediaType ?? ''] ?? 'merge',
        { ifMatch: request.headers['if-match'] },
        { baseUrl: request.baseUrl },
      );
      return json(200, customer, { ETag: etag });
    },
    { body: { mediaTypes: Object.keys(formats) } },
  ),
);
