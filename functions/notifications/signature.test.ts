import { describe, expect, it } from 'vitest';
import { newSigningSecret, signatureOf, SIGNATURE_TOLERANCE_SECONDS, verifySignature } from './signature.js';

describe('delivery signatures', () => {
  const secret = newSigningSecret();
  const body = JSON.stringify({ eventId: 'e1', eventType: 'CustomerCreateEvent' });
  const now = 1_800_000_000;

  it('verify a genuine delivery and refuse an altered body, another secret or a malformed header', () => {
    const header = signatureOf(secret, body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, now + 10)).toBe(true);
    expect(verifySignature(secret, header, body.replace('e1', 'e2'), now)).toBe(false);
    expect(verifySignature(newSigningSecret(), header, body, now)).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=${now}`, `t=x,v1=${'0'.repeat(64)}`]) {
      expect(verifySignature(secret, bad, body, now)).toBe(false);
    }
  });

  it('refuse a delivery whose timestamp is outside the tolerance (a replay of an old one)', () => {
    const old = signatureOf(secret, body, now - SIGNATURE_TOLERANCE_SECONDS - 1);
    expect(verifySignature(secret, old, body, now)).toBe(false);
    const ahead = signatureOf(secret, body, now + SIGNATURE_TOLERANCE_SECONDS + 1);
    expect(verifySignature(secret, ahead, body, now)).toBe(false);
  });

  it('make a new secret each time', () => {
    expect(newSigningSecret()).not.toBe(newSigningSecret());
  });
});
