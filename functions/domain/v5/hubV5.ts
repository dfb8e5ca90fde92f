/** The v5 Hub resource of a stored subscription. */
import type { Listener } from '../hub.js';

/**
 * `@type: Hub` as v5 requires. At registration the answer also carries the signing secret (shown
 * once, as in v4), an attribute the Hub schema does not declare: `@schemaLocation` says where.
 */
export function hubV5Of(listener: Listener, baseUrl: string): Record<string, unknown> {
  const { id, callback, query, signingSecret } = listener.subscription;
  return {
    '@type': 'Hub',
    id,
    href: listener.href,
    callback,
    ...(query !== undefined ? { query } : {}),
    ...(signingSecret !== undefined
      ? { signingSecret, '@schemaLocation': `${baseUrl}/openapi.json#/components/schemas/HubRegistered` }
      : {}),
  };
}
