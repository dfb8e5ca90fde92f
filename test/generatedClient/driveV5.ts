/**
 * drive.ts for TMF629 v5: a client whose types openapi-typescript generates from the live v5
 * description (…/tmf-api/customer/v5/openapi.json), compiled with `tsc --strict`, its calls made
 * by openapi-fetch. A description whose types do not let a typed client create a v5 customer with
 * typed contact media, patch it under If-Match or subscribe fails to compile. Prints each answer
 * as one JSON line, as drive.ts does.
 *
 *   API_BASE_URL=http://127.0.0.1:3000/tmf-api/customer/v5/ CALLBACK_URL=... tsx driveV5.ts
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';

type Customer = components['schemas']['Customer'];

const baseUrl = process.env.API_BASE_URL ?? '';
const callback = process.env.CALLBACK_URL ?? '';
const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/$/, '') });

async function report(operationId: string, call: Promise<{ response: Response; data?: unknown; error?: unknown }>) {
  const { response, data, error } = await call;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  console.log(JSON.stringify({ operationId, status: response.status, headers, body: data ?? error }));
  return { response, data, error };
}

const name = `Generated v5 client ${Date.now()}`;
const created = await report(
  'createCustomer',
  client.POST('/customer', {
    body: {
      '@type': 'Customer',
      name,
      engagedParty: { '@type': 'PartyRef', id: '500', '@referredType': 'Organization', name: 'Moon Football Club' },
      contactMedium: [
        { '@type': 'EmailContactMedium', preferred: true, emailAddress: 'generated-v5@example.com' },
        { '@type': 'SocialContactMedium', socialNetworkId: '@generated' },
      ],
      characteristic: [{ '@type': 'StringCharacteristic', name: 'segment', value: 'gold' }],
    },
  }),
);
const customer = created.data as Customer;
const id = customer.id;
if (!id || !customer.href) throw new Error('a created customer without id or href');

await report('listCustomer', client.GET('/customer', { params: { query: { fields: 'name', limit: 10 } } }));
const retrieved = await report('retrieveCustomer', client.GET('/customer/{id}', { params: { path: { id } } }));
const etag = retrieved.response.headers.get('etag') ?? '*';
await report(
  'patchCustomer',
  client.PATCH('/customer/{id}', {
    params: { path: { id }, header: { 'If-Match': etag } },
    body: { '@type': 'Customer', description: 'Patched by a generated client' },
    headers: { 'Content-Type': 'application/merge-patch+json' },
  }),
);
await report(
  'patchCustomer',
  client.PATCH('/customer/{id}', {
    params: { path: { id }, header: { 'If-Match': etag } },
    body: { '@type': 'Customer', description: 'A stale version' },
    headers: { 'Content-Type': 'application/merge-patch+json' },
  }),
);
await report('retrieveCustomer', client.GET('/customer/{id}', { params: { path: { id: 'no-such-customer' } } }));
const subscribed = await report(
  'createHub',
  client.POST('/hub', { body: { '@type': 'Hub', callback, query: 'eventType=CustomerDeleteEvent' } }),
);
const hubId = (subscribed.data as components['schemas']['Hub']).id ?? '';
await report('hubGet', client.GET('/hub/{id}', { params: { path: { id: hubId } } }));
await report('deleteCustomer', client.DELETE('/customer/{id}', { params: { path: { id } } }));
await report('hubDelete', client.DELETE('/hub/{id}', { params: { path: { id: hubId } } }));
