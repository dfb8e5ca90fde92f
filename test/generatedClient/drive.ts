/**
 * A client an integrator would write: its types are generated from the live openapi.json by
 * openapi-typescript (into ./generated/, at test time), its calls made by openapi-fetch. It is
 * compiled with `tsc --strict` before it runs, so a description that does not let a typed client
 * say what the API accepts (a merge patch's null, a numeric filter) fails to compile; it then
 * drives every operation and prints each answer (operation, status, headers, body) as one JSON
 * line, for the test to check against the description.
 *
 *   API_BASE_URL=http://127.0.0.1:3000/tmf-api/customerManagement/v4/ [API_TOKEN=...] CALLBACK_URL=... tsx drive.ts
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';

type Customer = components['schemas']['Customer'];

const baseUrl = process.env.API_BASE_URL ?? '';
const token = process.env.API_TOKEN;
const callback = process.env.CALLBACK_URL ?? '';

const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/$/, '') });
if (token) {
  const bearer: Middleware = {
    onRequest: ({ request }) => {
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);
}

/** One observed answer, for the contract check. */
async function report(operationId: string, call: Promise<{ response: Response; data?: unknown; error?: unknown }>) {
  const { response, data, error } = await call;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  console.log(JSON.stringify({ operationId, status: response.status, headers, body: data ?? error }));
  return { response, data, error };
}

const name = `Generated client ${Date.now()}`;
// The request type requires what create requires (name, engagedParty): a typed client cannot forget them.
const created = await report(
  'createCustomer',
  client.POST('/customer', {
    body: {
      name,
      status: 'Pending',
      engagedParty: { '@referredType': 'Organization', id: '500', name: 'Moon Football Club' },
      contactMedium: [{ mediumType: 'email', characteristic: { emailAddress: 'generated@example.com' } }],
      creditProfile: [
        {
          creditProfileDate: '2026-01-15T00:00:00Z',
          creditScore: 640,
          validFor: { startDateTime: '2026-01-15T00:00:00Z' },
        },
      ],
    },
  }),
);
const customer = created.data as Customer;
// What every answer holds, typed as always present: id and href.
const id: string = customer.id;
const href: string = customer.href;
if (!id || !href) throw new Error('a created customer without id or href');

await report('listCustomer', client.GET('/customer', { params: { query: { name, limit: 10 } } }));
await report('listCustomer', client.GET('/customer', { params: { query: { name, fields: 'status' } } }));
await report(
  'listCustomer',
  // A numeric filter is a number in the client's types.
  client.GET('/customer', { params: { query: { name, 'creditProfile.creditScore.gte': 600 } } }),
);
const retrieved = await report('retrieveCustomer', client.GET('/customer/{id}', { params: { path: { id } } }));
const etag = retrieved.response.headers.get('etag') ?? '*';
await report(
  'retrieveCustomer',
  client.GET('/customer/{id}', { params: { path: { id }, query: { fields: 'creditProfile.creditScore' } } }),
);
await report(
  'patchCustomer',
  client.PATCH('/customer/{id}', {
    params: { path: { id }, header: { 'If-Match': etag } },
    body: { status: 'Approved', statusReason: 'Credit checked' },
    headers: { 'Content-Type': 'application/merge-patch+json' },
  }),
);
// RFC 7396: null removes; the description lets a typed client say so.
const removed = await report(
  'patchCustomer',
  client.PATCH('/customer/{id}', {
    params: { path: { id } },
    body: { statusReason: null, contactMedium: null },
    headers: { 'Content-Type': 'application/merge-patch+json' },
  }),
);
const afterRemoval = removed.data as Customer;
if (afterRemoval.statusReason !== undefined || afterRemoval.contactMedium !== undefined) {
  throw new Error('merge patch null did not remove the attributes');
}
await report('retrieveCustomer', client.GET('/customer/{id}', { params: { path: { id: 'no-such-customer' } } }));

const subscribed = await report(
  'registerListener',
  client.POST('/hub', { body: { callback, query: `eventType=CustomerDeleteEvent&name=${name}` } }),
);
const subscriptionId = (subscribed.data as components['schemas']['EventSubscription']).id;
await report('retrieveListener', client.GET('/hub/{id}', { params: { path: { id: subscriptionId } } }));
await report('deleteCustomer', client.DELETE('/customer/{id}', { params: { path: { id } } }));
await report('unregisterListener', client.DELETE('/hub/{id}', { params: { path: { id: subscriptionId } } }));
