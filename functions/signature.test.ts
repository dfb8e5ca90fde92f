import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  EVENT_ID_HEADER,
  newSigningSecret,
  SIGNATURE_TOLERANCE_SECONDS,
  signedHeaders,
  verifyDelivery,
  WEBHOOK_ID_HEADER,
} from './signature.js';

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe('delivery signatures (Standard Webhooks)', () => {
  const secret = newSigningSecret();
  const body = JSON.stringify({ eventId: 'e1', eventType: 'CustomerCreateEvent' });
  const now = 1_800_000_000;

  it('verify a genuine delivery and refuse an altered body, another secret or malformed headers', () => {
    const headers = lower(signedHeaders(secret, 'e1', body, now));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(headers['x-tmf-event-id']).toBe('e1');
    expect(verifyDelivery(secret, headers, body, now + 10)).toBe(true);
    expect(verifyDelivery(secret, headers, body.replace('e1', 'e2'), now)).toBe(false);
    expect(verifyDelivery(newSigningSecret(), headers, body, now)).toBe(false);
    for (const broken of [{ 'webhook-id': '' }, { 'webhook-signature': 'v1,abc' }, { 'webhook-timestamp': 'x' }]) {
      expect(verifyDelivery(secret, { ...headers, ...broken }, body, now)).toBe(false);
    }
  });

  it('sign the event id: a captured delivery re-sent under another id is refused', () => {
    const headers = lower(signedHeaders(secret, 'e1', body, now));
    const replayed = { ...headers, [WEBHOOK_ID_HEADER]: 'e-new', [EVENT_ID_HEADER.toLowerCase()]: 'e-new' };
    expect(verifyDelivery(secret, replayed, body, now)).toBe(false);
    // Nor may the TMF header name another id than the signed one.
    expect(verifyDelivery(secret, { ...headers, 'x-tmf-event-id': 'e-new' }, body, now)).toBe(false);
  });

  it('refuse a delivery whose timestamp is outside the tolerance (a replay of an old one)', () => {
    const old = lower(signedHeaders(secret, 'e1', body, now - SIGNATURE_TOLERANCE_SECONDS - 1));
    expect(verifyDelivery(secret, old, body, now)).toBe(false);
    const ahead = lower(signedHeaders(secret, 'e1', body, now + SIGNATURE_TOLERANCE_SECONDS + 1));
    expect(verifyDelivery(secret, ahead, body, now)).toBe(false);
  });

  it('are verified by the off-the-shelf standardwebhooks library, which refuses a changed id too', () => {
    const headers = lower(signedHeaders(secret, 'e1', body));
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'e2' })).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it('make a new secret each time, in the whsec_<base64> form', () => {
    expect(newSigningSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newSigningSecret()).not.toBe(newSigningSecret());
  });
});
