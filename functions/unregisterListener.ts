/** unregisterListener: DELETE /hub/{id} -> 204, or 404 when unknown. */
import { unregisterListener } from './domain/hub.js';
import { tmfHandler } from './http/chain.js';
import { noContent } from './http/response.js';

export const handler = tmfHandler('unregisterListener', async (request) => {
  await unregisterListener(request.pathParameters.id ?? '');
  return noContent();
});
