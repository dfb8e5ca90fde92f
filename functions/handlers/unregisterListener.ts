/** unregisterListener: DELETE /hub/{id} -> 204, or 404 when unknown. */
import { unregisterListener } from '../domain/hub.js';
import { tmfHandler } from '../http/chain.js';
import { noContent } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, subscriptions }) =>
  tmfHandler('unregisterListener', chain, async (request) => {
    await unregisterListener(subscriptions, request.pathParameters.id ?? '');
    return noContent();
  }),
);
