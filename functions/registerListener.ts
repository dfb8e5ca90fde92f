/** registerListener: POST /hub -> 201 with the subscription and its Location. */
import { registerListener } from './domain/hub.js';
import { tmfHandler } from './http/chain.js';
import { json } from './http/response.js';

export const handler = tmfHandler(
  'registerListener',
  async (request) => {
    const { subscription, href } = await registerListener(request.body, { baseUrl: request.baseUrl });
    return json(201, subscription, { Location: href });
  },
  { body: { mediaTypes: ['application/json'] } },
);
