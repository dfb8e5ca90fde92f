/** registerListener: POST /hub -> 201 with the subscription and its Location. */
import { registerListener } from '../domain/hub.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, settings, subscriptions }) =>
  tmfHandler(
    'registerListener',
    chain,
    async (request) => {
      const { subscription, href } = await registerListener(subscriptions, settings, request.body, {
        baseUrl: request.baseUrl,
      });
      return json(201, subscription, { Location: href });
    },
    { body: { mediaTypes: ['application/json'] } },
  ),
);
