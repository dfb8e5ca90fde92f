/** hubDelete (v5): DELETE /tmf-api/customer/v5/hub/{id} -> 204. */
import { unregisterListener } from '../../domain/hub.js';
import { tmfHandler } from '../../http/chain.js';
import { noContent } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, subscriptions }) =>
  tmfHandler('unregisterListenerV5', chain, async (request) => {
    await unregisterListener(subscriptions, request.pathParameters.id ?? '');
    return noContent();
  }),
);
