/**
 * health: GET /health (outside the TMF base path, unauthenticated) -> 200 `{"status":"up"}` when
 * the customer table answers, 503 with a TMF Error when it does not. For load balancers and
 * process supervisors; it says nothing about what is behind it.
 */
import { ServiceUnavailableError } from '../errors.js';
import { tmfHandler } from '../http/chain.js';
import { json } from '../http/response.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry(({ chain, customers }) =>
  tmfHandler('health', chain, async () => {
    try {
      await customers.pingStore();
    } catch {
      throw new ServiceUnavailableError('The service cannot reach its store; retry shortly', 5);
    }
    return json(200, { status: 'up' }, { 'Cache-Control': 'no-store' });
  }),
);
