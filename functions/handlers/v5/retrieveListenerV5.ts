/** hubGet (v5): GET /tmf-api/customer/v5/hub/{id} -> 200 with the Hub, without its signing secret. */
import { publicSubscription, retrieveListener } from '../../domain/hub.js';
import { hubV5Of } from '../../domain/v5/hubV5.js';
import { tmfHandler } from '../../http/chain.js';
import { json } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, subscriptions }) =>
  tmfHandler('retrieveListenerV5', chain, async (request) => {
    const listener = await retrieveListener(subscriptions, request.pathParameters.id ?? '', {
      baseUrl: request.baseUrl,
    });
    return json(
      200,
      hubV5Of({ ...listener, subscription: publicSubscription(listener.subscription) }, request.baseUrl),
    );
  }),
);
