/** retrieveListener: GET /hub/{id} -> 200 with the subscription (as TMF v5 offers it). */
import { publicSubscription, retrieveListener } from '../domain/hub.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, subscriptions }) =>
  tmfHandler('retrieveListener', chain, async (request) => {
    const { subscription } = await retrieveListener(subscriptions, request.pathParameters.id ?? '', {
      baseUrl: request.baseUrl,
    });
    return json(200, publicSubscription(subscription));
  }),
);
