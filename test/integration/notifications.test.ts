/**
 * Notifications end to end on the local server: hub subscriptions, the table's stream read by the
 * same publishing code as the Lambda, and deliveries with retries to real HTTP listeners.
 * Over 300 lines because its cases share one server and listeners that take seconds to start.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { signedHeaders, verifyDelivery } from '../../functions/signature.js';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { sendJson, until } from './http.js';

interface Listener {
  readonly url: string;
  readonly events: any[];
  /** Each request as it arrived: the raw body and the headers a verifier reads. */
  readonly raw: { body: string; headers: Record<string, string>; eventId: string | undefined }[];
  /** How many of the next requests to answer 503. */
  failNext: number;
  server: Server;
}

async function listen(failNext = 0): Promise<Listener> {
  const listener: Listener = { url: '', events: [], raw: [], failNext, server: createServer() };
  listener.server.on('request', (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (listener.failNext > 0) {
        listener.failNext -= 1;
        response.writeHead(503).end();
        return;
      }
      listener.raw.push({
        body,
        headers: request.headers as Record<string, string>,
        eventId: request.headers['webhook-id'] as string | undefined,
      });
      listener.events.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => listener.server.listen(0, '127.0.0.1', ready));
  const address = listener.server.address();
  Object.assign(listener, {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/listener`,
  });
  return listener;
}

const dataDir = mkdtempSync(join(tmpdir(), 'tmf629-notify-'));
let api: RunningLocalApi;
const listeners: Listener[] = [];

const send = (method: string, path: string, body?: unknown) => sendJson(method, new URL(path, api.baseUrl), body);

const customer = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  engagedParty: { id: 'p1', '@referredType': 'Organization' },
  ...extra,
});

beforeAll(async () => {
  // Retry steps shortened 1000 times (5 s -> 5 ms), so exhausting every attempt takes seconds.
  api = await startLocalApi({ dataDir, env: { LOCAL_RETRY_SCALE: '0.001' } });
});

afterAll(async () => {
  await api?.stop();
  for (const listener of listeners) listener.server.close();
});

describe('hub', () => {
  it('registers (201, Location, {id, callback, query}), retrieves and unregisters a listener', async () => {
    const created = await send('POST', 'hub', {
      callback: 'http://127.0.0.1:9/nowhere',
      query: 'eventType=CustomerCreateEvent',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      callback: 'http://127.0.0.1:9/nowhere',
      query: 'eventType=CustomerCreateEvent',
      signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(created.headers.get('location')).toBe(`${api.baseUrl}hub/${created.body.id}`);
    // The secret is answered once, at registration.
    const { signingSecret: _secret, ...shown } = created.body;
    expect((await send('GET', `hub/${created.body.id}`)).body).toEqual(shown);
    expect((await send('DELETE', `hub/${created.body.id}`)).status).toBe(204);
    const gone = await send('DELETE', `hub/${created.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ '@type': 'Error', status: '404' });
    expect((await send('GET', `hub/${created.body.id}`)).status).toBe(404);
  });

  it.each([
    [{}, /callback: is mandatory/],
    [{ callback: 'not a url' }, /absolute URL/],
    [{ callback: 'ftp://example.com/x' }, /http or https/],
    [{ callback: 'http://user:pw@example.com/x' }, /credentials/],
    [{ callback: 'http://127.0.0.1:9/x', query: 'eventType=CustomerExplodeEvent' }, /eventType CustomerExplodeEvent/],
    [{ callback: 'http://127.0.0.1:9/x', query: 'planet=Mars' }, /planet: not an attribute/],
    [{ callback: 'http://127.0.0.1:9/x', query: 'name*=(' }, /not a valid regular expression/],
  ])('refuses %j with 400', async (body, pattern) => {
    const response = await send('POST', 'hub', body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(pattern);
  });
});

describe('events', () => {
  it('delivers create, attribute change, state change and delete, in order, for one customer', async () => {
    const listener = await listen();
    listeners.push(listener);
    const hub = await send('POST', 'hub', { callback: listener.url });
    const created = await send('POST', 'customer', customer('Order', { status: 'Pending' }));
    const id = created.body.id;
    await send('PATCH', `customer/${id}`, { name: 'Order renamed', status: 'Approved' });
    await send('DELETE', `customer/${id}`);
    const events = await until('four events', () => {
      const mine = listener.events.filter((e) => e.event.customer.id === id);
      return mine.length >= 4 ? mine : undefined;
    });
    expect(events.map((e) => e.eventType)).toEqual([
      'CustomerCreateEvent',
      'CustomerAttributeValueChangeEvent',
      'CustomerStateChangeEvent',
      'CustomerDeleteEvent',
    ]);
    expect(events[0]).toMatchObject({
      '@type': 'CustomerCreateEvent',
      eventId: expect.any(String),
      eventTime: expect.any(String),
    });
    expect(events[0].event.customer).toMatchObject({
      id,
      href: `${api.baseUrl}customer/${id}`,
      name: 'Order',
      status: 'Pending',
    });
    expect(events[1].fieldPath).toBe('name,status');
    expect(events[1].event.customer).toMatchObject({ name: 'Order renamed', status: 'Approved' });
    expect(events[2]).toMatchObject({ fieldPath: 'status', event: { customer: { status: 'Approved' } } });
    expect(events[3].event.customer).toMatchObject({ id, name: 'Order renamed' });
    await send('DELETE', `hub/${hub.body.id}`);
  });

  it('signs every delivery: a verifying listener accepts genuine events and refuses replayed or altered ones', async () => {
    const listener = await listen();
    listeners.push(listener);
    const hub = await send('POST', 'hub', { callback: listener.url });
    const secret = hub.body.signingSecret as string;
    const created = await send('POST', 'customer', customer('Signed', { status: 'Pending' }));
    const id = created.body.id;
    await send('PATCH', `customer/${id}`, { status: 'Approved' });
    await send('PATCH', `customer/${id}`, { name: 'Signed again' });
    await until('four signed events', () =>
      listener.events.filter((e) => e.event.customer.id === id).length >= 4 ? true : undefined,
    );
    const mine = listener.raw.filter((r) => (JSON.parse(r.body) as any).event.customer.id === id);

    // A listener as the README shows it: the Standard Webhooks library, and an id not seen before.
    const seen = new Set<string>();
    const accepts = (delivery: { body: string; headers: Record<string, string> }) => {
      try {
        new Webhook(secret).verify(delivery.body, delivery.headers);
      } catch {
        return false;
      }
      const id = delivery.headers['webhook-id'] as string;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    };
    for (const delivery of mine) expect(accepts(delivery), delivery.body).toBe(true);
    const [first] = mine as [(typeof mine)[number]];
    expect(first.eventId).toBe(JSON.parse(first.body).eventId);
    expect(first.headers['x-tmf-event-id']).toBe(first.eventId);
    expect(verifyDelivery(secret, first.headers, first.body), 'our reference check').toBe(true);
    expect(accepts(first), 'a replay').toBe(false);
    // A captured delivery re-sent under a new id: the id is signed, so it fails before de-duplication.
    const newId = { ...first.headers, 'webhook-id': 'new-id', 'x-tmf-event-id': 'new-id' };
    expect(accepts({ body: first.body, headers: newId }), 'a replay under a new id').toBe(false);
    const altered = { body: first.body.replace('Signed', 'Forged'), headers: { ...first.headers, 'webhook-id': 'x' } };
    expect(accepts(altered), 'an altered body').toBe(false);
    expect(verifyDelivery('whsec_b3RoZXI=', first.headers, first.body), 'another secret').toBe(false);
    const old = Math.floor(Date.now() / 1000) - 3600;
    const stale = signedHeaders(secret, 'stale-id', first.body, old);
    expect(accepts({ body: first.body, headers: stale }), 'an old delivery').toBe(false);

    // eventTime is the time of each change, to the millisecond, in the order of the changes.
    const times = mine.map((r) => JSON.parse(r.body).eventTime as string);
    for (const time of times) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const create = Date.parse(times[0] as string);
    const lastChange = Date.parse(times.at(-1) as string);
    expect(lastChange).toBeGreaterThan(create);
    expect([...times].sort()).toEqual(times);
    await send('DELETE', `hub/${hub.body.id}`);
  });

  it('still delivers to a listener that fails twice', async () => {
    const listener = await listen(2);
    listeners.push(listener);
    const hub = await send('POST', 'hub', { callback: listener.url, query: 'eventType=CustomerCreateEvent' });
    const created = await send('POST', 'customer', customer('Flaky'));
    const event = await until('a retried event', () =>
      listener.events.find((e) => e.event.customer.id === created.body.id),
    );
    expect(event.eventType).toBe('CustomerCreateEvent');
    expect(listener.failNext).toBe(0);
    await send('DELETE', `hub/${hub.body.id}`);
  });

  it('sends nothing more after DELETE /hub/{id}', async () => {
    const listener = await listen();
    listeners.push(listener);
    const hub = await send('POST', 'hub', { callback: listener.url });
    const first = await send('POST', 'customer', customer('Before'));
    await until('the first event', () => listener.events.find((e) => e.event.customer.id === first.body.id));
    await send('DELETE', `hub/${hub.body.id}`);
    const count = listener.events.length;
    const second = await send('POST', 'customer', customer('After'));
    // Give the pipeline time to have delivered, had it wanted to (another listener proves it ran).
    const witness = await listen();
    listeners.push(witness);
    const witnessHub = await send('POST', 'hub', { callback: witness.url });
    const third = await send('POST', 'customer', customer('Witness'));
    await until('the witness event', () => witness.events.find((e) => e.event.customer.id === third.body.id));
    expect(listener.events.length).toBe(count);
    expect(listener.events.some((e) => e.event.customer.id === second.body.id)).toBe(false);
    await send('DELETE', `hub/${witnessHub.body.id}`);
  });

  it('honours the subscription query: event types and attribute filters', async () => {
    const listener = await listen();
    listeners.push(listener);
    const hub = await send('POST', 'hub', {
      callback: listener.url,
      query: 'eventType=CustomerCreateEvent,CustomerDeleteEvent&status=Approved',
    });
    const approved = await send('POST', 'customer', customer('Approved one', { status: 'Approved' }));
    const pending = await send('POST', 'customer', customer('Pending one', { status: 'Pending' }));
    await send('PATCH', `customer/${approved.body.id}`, { statusReason: 'checked' });
    await send('DELETE', `customer/${approved.body.id}`);
    await send('DELETE', `customer/${pending.body.id}`);
    const events = await until('create and delete of the approved customer', () =>
      listener.events.length >= 2 ? listener.events : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(listener.events.map((e) => [e.eventType, e.event.customer.name])).toEqual([
      ['CustomerCreateEvent', 'Approved one'],
      ['CustomerDeleteEvent', 'Approved one'],
    ]);
    expect(events).toHaveLength(2);
    await send('DELETE', `hub/${hub.body.id}`);
  });

  it('keeps what exhausts its retries in the local dead-letter store', async () => {
    const listener = await listen(1000);
    listeners.push(listener);
    const hub = await send('POST', 'hub', { callback: listener.url, query: 'eventType=CustomerCreateEvent' });
    const created = await send('POST', 'customer', customer('Doomed'));
    let deadLetter: any;
    const deadline = Date.now() + 20_000;
    while (!deadLetter) {
      const text = await (await fetch(new URL('/local/dead-letters', api.baseUrl))).text();
      // Dead letters never carry the subscription's secret: it lives in the subscription alone.
      expect(text).not.toMatch(/whsec_|signingSecret/);
      const letters = JSON.parse(text) as any[];
      deadLetter = letters.find((letter) => letter.delivery.event.event.customer.id === created.body.id);
      if (!deadLetter && Date.now() > deadline) throw new Error('no dead letter');
      if (!deadLetter) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(deadLetter).toMatchObject({
      attempts: 8,
      lastError: 'callback answered 503',
      delivery: { subscriptionId: hub.body.id },
    });
    await send('DELETE', `hub/${hub.body.id}`);
  });

  it('loses nothing across a restart: deliveries queued for a listener that is down arrive after it', async () => {
    // Its own server, with retry steps a tenth of the deployed ones (0.5 s, 1 s, 2 s ...).
    const ownDir = mkdtempSync(join(tmpdir(), 'tmf629-restart-notify-'));
    let own = await startLocalApi({ dataDir: ownDir, env: { LOCAL_RETRY_SCALE: '0.1' } });
    const listener = await listen(1000); // down for now
    listeners.push(listener);
    const at = (path: string) => new URL(path, own.baseUrl);
    const post = async (path: string, body: unknown) =>
      (
        await fetch(at(path), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json() as Promise<any>;
    await post('hub', { callback: listener.url, query: 'eventType=CustomerCreateEvent' });
    const created = await post('customer', customer('Across restart'));
    await until('a failed attempt', () => (listener.failNext < 1000 ? true : undefined));
    await own.stop();
    listener.failNext = 0; // the listener is back
    own = await startLocalApi({ dataDir: ownDir, env: { LOCAL_RETRY_SCALE: '0.1' } });
    try {
      const event = await until('the queued event', () =>
        listener.events.find((e) => e.event.customer.id === created.id),
      );
      expect(event.eventType).toBe('CustomerCreateEvent');
      // Delivered once: the stream position was kept across the restart, so nothing was read twice.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(listener.events.filter((e) => e.event.customer.id === created.id)).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });
});
