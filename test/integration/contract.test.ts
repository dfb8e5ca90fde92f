/**
 * The contract test: every operation the live openapi.json documents is driven against the local
 * server, through its success answers and the errors a client can provoke, and each answer is
 * checked against the document (status, always-sent headers, body). The events the hub delivers
 * are checked against the callbacks' schemas. Whatever the service does that its description does
 * not say fails here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descriptionFindings, operationIds } from '../../bin/check-description.js';
import { ApiContract } from '../apiContract.js';
import { baseUrl, call, uniqueName, type ApiResponse } from './http.js';

let contract: ApiContract;
let listener: Server;
let listenerUrl = '';
const events: any[] = [];

beforeAll(async () => {
  const described = await call('GET', 'openapi.json');
  expect(described.status).toBe(200);
  contract = new ApiContract(described.body);
  listener = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      events.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/listener`;
});
afterAll(() => new Promise<void>((done) => listener.close(() => done())));

function expectConforms(operationId: string, answer: ApiResponse, status: number): ApiResponse {
  expect(answer.status, `${operationId}: ${answer.text.slice(0, 300)}`).toBe(status);
  expect(contract.problems(operationId, answer)).toEqual([]);
  return answer;
}

const full = (name: string) => ({
  name,
  status: 'Pending',
  engagedParty: { '@referredType': 'Organization', id: '500', name: 'Moon Football Club' },
  characteristic: [{ name: 'segment', value: 'silver' }],
  contactMedium: [
    {
      mediumType: 'email',
      preferred: false,
      characteristic: { emailAddress: `${name.replace(/\W/g, '')}@example.com` },
    },
    { mediumType: 'phone', preferred: true, characteristic: { phoneNumber: '+33 1 23 45 67 89' } },
  ],
  creditProfile: [
    {
      creditProfileDate: '2026-01-15T00:00:00Z',
      creditScore: 640,
      validFor: { startDateTime: '2026-01-15T00:00:00Z' },
    },
  ],
});

describe('the live description matches what the service does', () => {
  it('drives every documented operation and checks every answer against the description', async () => {
    const name = uniqueName('Contract');
    // The hub first, so this test's customer's events are delivered to the listener.
    const subscription = expectConforms(
      'registerListener',
      await call('POST', 'hub', { body: { callback: listenerUrl, query: `name=${name}` } }),
      201,
    );
    expect(subscription.body.signingSecret).toMatch(/^whsec_/);
    expectConforms('retrieveListener', await call('GET', `hub/${subscription.body.id}`), 200);

    const created = expectConforms('createCustomer', await call('POST', 'customer', { body: full(name) }), 201);
    const id = created.body.id as string;
    expectConforms('createCustomer', await call('POST', 'customer', { body: { name } }), 400);
    expectConforms(
      'createCustomer',
      await call('POST', 'customer', { raw: 'name=x', headers: { 'Content-Type': 'text/plain' } }),
      415,
    );
    expectConforms(
      'createCustomer',
      await call('POST', 'customer', { raw: '{"name":', headers: { 'Content-Type': 'application/json' } }),
      400,
    );

    expectConforms('listCustomer', await call('GET', `customer?name=${encodeURIComponent(name)}`), 200);
    // A `fields` selection answers part of each customer; the description says only id and href are always there.
    for (const fields of ['status', 'name,engagedParty.id', 'engagedParty.name', 'creditProfile.creditScore', 'none']) {
      const selected = await call('GET', `customer?name=${encodeURIComponent(name)}&fields=${fields}`);
      expectConforms('listCustomer', selected, 200);
    }
    expectConforms('createCustomer', await call('POST', 'customer', { body: full(name) }), 201);
    const byName = `customer?name=${encodeURIComponent(name)}`;
    expectConforms('listCustomer', await call('GET', `${byName}&limit=1`), 206);
    expectConforms('listCustomer', await call('GET', `${byName}&limit=1&sort=-creditProfile.creditScore`), 206);
    expectConforms('listCustomer', await call('GET', `${byName}&limit=0`), 206);
    expectConforms('listCustomer', await call('GET', 'customer?limit=abc'), 400);
    expectConforms('listCustomer', await call('GET', 'customer?colour=blue'), 400);
    expectConforms('listCustomer', await call('GET', 'customer', { headers: { Accept: 'text/html' } }), 406);

    const retrieved = expectConforms('retrieveCustomer', await call('GET', `customer/${id}`), 200);
    for (const fields of ['status', 'contactMedium.preferred', 'engagedParty.name', 'creditProfile.creditScore']) {
      expectConforms('retrieveCustomer', await call('GET', `customer/${id}?fields=${fields}`), 200);
    }
    expectConforms('retrieveCustomer', await call('GET', 'customer/01JD3Q0Z5W2K9X6M4T8R7V1B2C'), 404);

    const etag = retrieved.headers.get('etag') ?? '';
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, { body: { status: 'Approved' }, headers: { ...merge, 'If-Match': etag } }),
      200,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, { body: { status: 'Active' }, headers: { ...merge, 'If-Match': etag } }),
      412,
    );
    const jsonPatch = { 'Content-Type': 'application/json-patch+json' };
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, {
        body: [{ op: 'add', path: '/characteristic/-', value: { name: 'tier', value: 'gold' } }],
        headers: jsonPatch,
      }),
      200,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, {
        body: [{ op: 'test', path: '/name', value: 'someone else' }],
        headers: jsonPatch,
      }),
      409,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, {
        body: [{ op: 'replace', path: '/account/0/name', value: 'x' }],
        headers: jsonPatch,
      }),
      422,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, {
        body: [{ op: 'replace', path: '/contactMedium/preferred?contactMedium.mediumType=email', value: true }],
        headers: { 'Content-Type': 'application/json-patch-query+json' },
      }),
      200,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, { body: { status: 'x' }, headers: { 'Content-Type': 'text/plain' } }),
      415,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', `customer/${id}`, { body: { id: 'other' }, headers: merge }),
      400,
    );
    expectConforms(
      'patchCustomer',
      await call('PATCH', 'customer/01JD3Q0Z5W2K9X6M4T8R7V1B2C', { body: { status: 'x' }, headers: merge }),
      404,
    );

    expectConforms('deleteCustomer', await call('DELETE', `customer/${id}`, { headers: { 'If-Match': '"1"' } }), 412);
    expectConforms('deleteCustomer', await call('DELETE', `customer/${id}`), 204);
    expectConforms('deleteCustomer', await call('DELETE', `customer/${id}`), 404);

    // Every event this customer caused reaches the listener, and each is what the callbacks say.
    await expect
      .poll(() => events.filter((e) => e.event?.customer?.id === id).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(6);
    const types = new Set(events.map((e) => e.eventType as string));
    expect([...types].sort()).toEqual([
      'CustomerAttributeValueChangeEvent',
      'CustomerCreateEvent',
      'CustomerDeleteEvent',
      'CustomerStateChangeEvent',
    ]);
    for (const event of events)
      expect(contract.callbackProblems('registerListener', event.eventType, event)).toEqual([]);

    expectConforms('unregisterListener', await call('DELETE', `hub/${subscription.body.id}`), 204);
    expectConforms('unregisterListener', await call('DELETE', `hub/${subscription.body.id}`), 404);
    expectConforms('retrieveListener', await call('GET', `hub/${subscription.body.id}`), 404);
    expectConforms('registerListener', await call('POST', 'hub', { body: { callback: 'not a url' } }), 400);

    // The checks bite: an undeclared property, a missing id, an undeclared header are each reported.
    const answered = { status: 200, headers: new Headers({ 'content-type': 'application/json' }) };
    expect(contract.problems('retrieveCustomer', { ...answered, body: { id, href: 'h', colour: 'blue' } })).not.toEqual(
      [],
    );
    expect(contract.problems('retrieveCustomer', { ...answered, body: { href: 'h', name } })).not.toEqual([]);
    expect(
      contract.problems('retrieveCustomer', {
        status: 200,
        headers: new Headers({ 'content-type': 'application/json', 'x-powered-by': 'x' }),
        body: { id, href: 'h' },
      }),
    ).not.toEqual([]);

    // Every operation of the description was driven, through at least one success.
    const operations = Object.values(
      contract.document.paths as Record<
        string,
        Record<string, { operationId: string; responses: Record<string, unknown> }>
      >,
    ).flatMap((byMethod) => Object.values(byMethod));
    for (const operation of operations) {
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      for (const status of successes)
        expect(contract.seen, `${operation.operationId} ${status}`).toContain(`${operation.operationId} ${status}`);
    }
  }, 60_000);

  it('describes the server it is read from, and swagger.json describes the same operations', async () => {
    const openapi = await call('GET', 'openapi.json');
    expect(openapi.body.servers[0].url).toBe(baseUrl().replace(/\/$/, ''));
    const swagger = await call('GET', 'swagger.json');
    expect(swagger.status).toBe(200);
    expect(`http://${swagger.body.host}${swagger.body.basePath}/`).toBe(baseUrl());
    expect(operationIds(swagger.body)).toEqual(operationIds(openapi.body));
    expect(swagger.text.length).toBeLessThan(1_000_000);
    expect(openapi.body.components.securitySchemes).toBeUndefined(); // the local server is open without LOCAL_AUTH
    expect((await call('POST', 'openapi.json', { body: {} })).status).toBe(405);
    // What `npm run check-description -- <base>` finds on a stage, here on the local server: nothing.
    expect(await descriptionFindings(baseUrl())).toEqual([]);
  });
});
