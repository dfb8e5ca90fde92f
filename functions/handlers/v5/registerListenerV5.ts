/** createHub (v5): POST /tmf-api/customer/v5/hub with a Hub_FVO -> 201; its listener gets v5 events. */
import { registerListener } from '../../domain/hub.js';
import { hubV5Of } from '../../domain/v5/hubV5.js';
import { tmfHandler } from '../../http/chain.js';
import { json } from '../../http/response.js';
import { lambdaEntry } from '../runtime.js';

export const handler = lambdaEntry(({ chain, settings, subscriptions }) =>
  tmfHandler(
    'registerListenerV5',
    chain,
    async (request) => {
      const listener = await registerListener(
        subscriptions,
        settings,
        request.body,
        { baseUrl: request.baseUrl },
        'v5',
      );
      return json(201, hubV5Of(listener, request.baseUrl), { Location: listener.href });
    },
    { body: { mediaTypes: ['application/json'] } },
  ),
);
