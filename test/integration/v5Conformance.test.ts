/**
 * The v5 conformance run (TM Forum's v5 kits are not public; this does what the published ones
 * check): every v5 operation over HTTP against a fresh local server, every answer validated
 * against the official v5.0.1 schema it names (discriminators enforced, scripts/v5Schema.ts),
 * mandatory attributes present, the four event types delivered to a v5 listener and validated,
 * and one truth across versions (one customer, one ETag, v4 listeners still get v4 events).
 */
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { v5Definitions } from '../../scripts/v5Schema.js';
import { sendJson, until } from './http.js';

const addFormats = formatsModule.default;
let api: RunningLocalApi;
let v4: string;
let v5: string;
const events: { version: string; body: any; headers: Record<string, string | string[] | undefined> }[] = [];
const listener = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    events.push({ version: request.url ?? '', body: JSON.parse(body), headers: request.headers });
    response.writeHead(204).end();
  });
});

// OpenAPI's numeric and binary formats say how a value is encoded, not what is valid JSON.
const OPENAPI_ONLY_FORMATS = ['float', 'double', 'int32', 'int64', 'base64', 'byte', 'binary', 'password'];
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  formats: Object.fromEntries(OPENAPI_ONLY_FORMATS.map((format) => [format, true])),
});
addFormats(ajv, ['date-time', 'uri']);
ajv.addSchema({ $id: 'v5', definitions: v5Definitions() });
const schema = (name: string): ValidateFunction => ajv.getSchema(`v5#/definitions/${name}`) as ValidateFunction;
function expectValid(name: string, value: unknown): void {
  const validate = schema(name);
  const valid = validate(value);
  expect(valid, `${name}: ${JSON.stringify(validate.errors?.slice(0, 5))}`).toBe(true);
}

const send = sendJson;

const MANDATORY = ['@type', 'id', 'href', 'name', 'engagedParty'];
const v5Customer = (name: string, extra: Record<string, unknown> = {}) => ({
  '@type': 'Customer',
  name,
  engagedParty: { '@type': 'PartyRef', id: '500', '@referredType': 'Organization', name: 'Happy Travellers' },
  contactMedium: [
    { '@type': 'PhoneContactMedium', preferred: true, contactType: 'homePhone', phoneNumber: '01 09 75 83 51' },
    { '@type': 'EmailContactMedium', emailAddress: `${name.replace(/\W/g, '')}@moon.example` },
    { '@type': 'GeographicAddressContactMedium', city: 'Paris', country: 'France', postCode: '75014' },
  ],
  relatedParty: [
    {
      '@type': 'RelatedPartyOrPartyRole',
      role: 'bill receiver',
      partyOrPartyRole: { '@type': 'PartyRef', id: '2777', '@referredType': 'Organization' },
    },
  ],
  characteristic: [{ '@type': 'StringCharacteristic', name: 'segment', value: 'gold' }],
  ...extra,
});

beforeAll(async () => {
  await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
  api = await startLocalApi({ dataDir: mkdtempSync(join(tmpdir(), 'tmf629-v5-')) });
  v4 = api.baseUrl.replace(/\/$/, '');
  v5 = v4.replace('/tmf-api/customerManagement/v4', '/tmf-api/customer/v5');
});

afterAll(async () => {
  await api?.stop();
  listener.close();
});

describe('TMF629 v5 conformance (official v5.0.1 schemas, discriminators enforced)', () => {
  it('runs every v5 operation, each answer valid against the schema it names', async () => {
    const port = (listener.address() as { port: number }).port;
    const hub = await send('POST', `${v5}/hub`, { '@type': 'Hub', callback: `http://127.0.0.1:${port}/v5` });
    expect(hub.status).toBe(201);
    expectValid('Hub', hub.body);
    expect(hub.headers.get('location')).toBe(hub.body.href);
    const v4Hub = await send('POST', `${v4}/hub`, { callback: `http://127.0.0.1:${port}/v4` });
    expect(v4Hub.status).toBe(201);

    const created = await send('POST', `${v5}/customer`, v5Customer('Moon Football Club'));
    expect(created.status).toBe(201);
    expectValid('Customer', created.body);
    for (const attribute of MANDATORY) expect(created.body).toHaveProperty(attribute);
    expect(created.body.href).toBe(`${v5}/customer/${created.body.id}`);

    const read = await send('GET', `${v5}/customer/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expectValid('Customer', read.body);

    const list = await send('GET', `${v5}/customer?limit=5`);
    expect([200, 206]).toContain(list.status);
    expect(list.headers.get('x-total-count')).toMatch(/^\d+$/);
    expect(list.headers.get('x-result-count')).toBe(String(list.body.length));
    for (const customer of list.body) {
      expectValid('Customer', customer);
      for (const attribute of MANDATORY) expect(customer).toHaveProperty(attribute);
    }

    const byEmail = await send(
      'GET',
      `${v5}/customer?contactMedium.emailAddress=MoonFootballClub@moon.example&fields=name`,
    );
    expect(byEmail.body).toEqual([{ id: created.body.id, href: created.body.href, name: 'Moon Football Club' }]);

    for (const [contentType, body] of [
      ['application/merge-patch+json', { name: 'Sun Football Club' }],
      ['application/json', { description: 'a v5-only attribute' }],
      ['application/json-patch+json', [{ op: 'add', path: '/status', value: 'Approved' }]],
      ['application/json-patch-query+json', [{ op: 'add', path: '/contactMedium/preferred?city=Paris', value: true }]],
    ] as const) {
      const patched = await send('PATCH', `${v5}/customer/${created.body.id}`, body, { 'Content-Type': contentType });
      expect(patched.status, `${contentType}: ${JSON.stringify(patched.body)}`).toBe(200);
      expectValid('Customer', patched.body);
    }
    const final = await send('GET', `${v5}/customer/${created.body.id}`);
    expect(final.body).toMatchObject({
      name: 'Sun Football Club',
      description: 'a v5-only attribute',
      status: 'Approved',
    });
    expect(final.body.contactMedium[2]).toMatchObject({ '@type': 'GeographicAddressContactMedium', preferred: true });

    const deleted = await send('DELETE', `${v5}/customer/${created.body.id}`);
    expect(deleted.status).toBe(204);
    const gone = await send('GET', `${v5}/customer/${created.body.id}`);
    expect(gone.status).toBe(404);
    expectValid('Error', gone.body);

    // The four event types, in the v5 envelope, signed, each valid against its own schema.
    const v5Events = await until('four v5 event types', () => {
      const types = new Set(events.filter((e) => e.version === '/v5').map((e) => e.body['@type']));
      return types.size === 4 ? events.filter((e) => e.version === '/v5') : undefined;
    });
    for (const event of v5Events) {
      expectValid(event.body['@type'], event.body);
      expect(event.body).toMatchObject({
        eventId: expect.any(String),
        eventTime: expect.any(String),
        timeOccurred: expect.any(String),
        // Where it comes from: the customer it is about, reported by this API at its v5 base.
        source: { '@type': 'EntityRef', id: event.body.event.customer.id, '@referredType': 'Customer' },
        reportingSystem: { '@type': 'EntityRef', id: 'TMF629', href: v5 },
      });
      expect(event.body.event.customer.href).toContain('/tmf-api/customer/v5/customer/');
      const webhook = new Webhook(hub.body.signingSecret);
      expect(() => webhook.verify(JSON.stringify(event.body), event.headers as Record<string, string>)).not.toThrow();
    }
    // The v4 listener got the same changes as v4 events (v4 representation, v4 href).
    const v4Events = await until('v4 events', () => {
      const got = events.filter((e) => e.version === '/v4');
      return got.some((e) => e.body.eventType === 'CustomerDeleteEvent') ? got : undefined;
    });
    for (const event of v4Events) {
      expect(event.body.event.customer.href).toContain('/tmf-api/customerManagement/v4/customer/');
      expect(JSON.stringify(event.body)).not.toContain('"@v5"');
    }
    // A change only v5 can see (description) raised no v4 attribute event.
    expect(v4Events.filter((e) => e.body.fieldPath === 'description')).toEqual([]);

    const hubRead = await send('GET', `${v5}/hub/${hub.body.id}`);
    expect(hubRead.status).toBe(200);
    expectValid('Hub', hubRead.body);
    expect(hubRead.body).not.toHaveProperty('signingSecret');
    expect((await send('DELETE', `${v5}/hub/${hub.body.id}`)).status).toBe(204);
    expect((await send('GET', `${v5}/hub/${hub.body.id}`)).status).toBe(404);
  });

  it('refuses an unknown @type or a body of no subclass with a 400 that says which, in the v5 Error shape', async () => {
    const unknown = await send(
      'POST',
      `${v5}/customer`,
      v5Customer('Bad', { contactMedium: [{ '@type': 'PigeonContactMedium' }] }),
    );
    expect(unknown.status).toBe(400);
    expectValid('Error', unknown.body);
    expect(unknown.body.message).toMatch(
      /contactMedium\[0\]\.@type: is not a known type here; one of .*EmailContactMedium/,
    );
    const untyped = await send(
      'POST',
      `${v5}/customer`,
      v5Customer('Bad', { characteristic: [{ name: 'x', value: 1 }] }),
    );
    expect(untyped.status).toBe(400);
    expect(untyped.body.message).toMatch(/characteristic\[0\]\.@type: is mandatory/);
    const mismatch = await send(
      'POST',
      `${v5}/customer`,
      v5Customer('Bad', { characteristic: [{ '@type': 'BooleanCharacteristic', name: 'x', value: 'yes' }] }),
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toMatch(/characteristic\[0\]\.value: must be boolean/);
    const noParty = await send('POST', `${v5}/customer`, { '@type': 'Customer', name: 'No party' });
    expect(noParty.status).toBe(400);
    expect(noParty.body.message).toMatch(/engagedParty: is mandatory/);
    const notFound = await send('GET', `${v5}/customer/01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect(notFound.status).toBe(404);
    expectValid('Error', notFound.body);
  });

  it('serves one customer to both versions: one ETag, v4-only and v5-only details kept', async () => {
    // Created through v4, with a spelling v5 has no place for: read through v5, patched, read back through v4.
    const v4Body = {
      name: 'Crossing',
      engagedParty: { id: '500', '@referredType': 'Organization', role: 'owner' },
      contactMedium: [{ mediumType: 'telephone', characteristic: { phoneNumber: '+33 1 23' } }],
    };
    const created = await send('POST', `${v4}/customer`, v4Body);
    expect(created.status).toBe(201);
    const asV5 = await send('GET', `${v5}/customer/${created.body.id}`);
    expectValid('Customer', asV5.body);
    expect(asV5.body.contactMedium).toEqual([{ '@type': 'PhoneContactMedium', phoneNumber: '+33 1 23' }]);
    expect(asV5.headers.get('etag')).toBe(created.headers.get('etag'));

    // An If-Match taken from the v4 read guards the v5 PATCH.
    const guarded = await send(
      'PATCH',
      `${v5}/customer/${created.body.id}`,
      { partyRoleSpecification: { '@type': 'PartyRoleSpecificationRef', id: 'gold' } },
      {
        'Content-Type': 'application/merge-patch+json',
        'If-Match': created.headers.get('etag') as string,
      },
    );
    expect(guarded.status).toBe(200);
    const stale = await send(
      'PATCH',
      `${v5}/customer/${created.body.id}`,
      { status: 'Approved' },
      {
        'Content-Type': 'application/merge-patch+json',
        'If-Match': created.headers.get('etag') as string,
      },
    );
    expect(stale.status).toBe(412);

    const backInV4 = await send('GET', `${v4}/customer/${created.body.id}`);
    expect(backInV4.body).toEqual({ ...created.body });
    expect(backInV4.headers.get('etag')).toBe(guarded.headers.get('etag'));

    // A v4 PATCH leaves what only v5 said untouched.
    const v4Patch = await send(
      'PATCH',
      `${v4}/customer/${created.body.id}`,
      { status: 'Validated' },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(v4Patch.status).toBe(200);
    const afterV4 = await send('GET', `${v5}/customer/${created.body.id}`);
    expect(afterV4.body).toMatchObject({
      status: 'Validated',
      partyRoleSpecification: { '@type': 'PartyRoleSpecificationRef', id: 'gold' },
    });

    // The service's own mark is never accepted from a client, in either version.
    const forged = await send('POST', `${v4}/customer`, {
      ...v4Body,
      '@schemaLocation': 'https://x.example/s.json',
      '@v5': { description: 'x' },
    });
    expect(forged.status).toBe(400);
  });

  it('serves the v5 description, the official document with this server as its server', async () => {
    const description = await send('GET', `${v5}/openapi.json`);
    expect(description.status).toBe(200);
    expect(description.body.openapi).toBe('3.0.1');
    expect(description.body.info.version).toBe('5.0.1');
    expect(description.body.servers).toEqual([{ url: v5, description: 'This deployment' }]);
    // The listener's endpoints are callbacks of createHub, not paths a client could call here.
    expect(Object.keys(description.body.paths).sort()).toEqual(['/customer', '/customer/{id}', '/hub', '/hub/{id}']);
    expect(Object.keys(description.body.paths['/hub'].post.callbacks).sort()).toEqual([
      'customerAttributeValueChangeEvent',
      'customerCreateEvent',
      'customerDeleteEvent',
      'customerStateChangeEvent',
    ]);
    // What the service sends beyond the official document: pages, versions and preconditions.
    expect(Object.keys(description.body.paths['/customer'].get.responses)).toContain('206');
    expect(description.body.paths['/customer/{id}'].patch.responses['412']).toBeDefined();
  });
});
