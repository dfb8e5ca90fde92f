/**
 * Signed deliveries: every event POSTed to a hub listener carries
 *
 *   X-TMF-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>
 *   X-TMF-Event-Id:  <eventId>
 *
 * The secret is made when the listener registers and answered once, in the 201 of POST /hub
 * (`signingSecret`). A listener recomputes the HMAC over the raw body, compares in constant time,
 * refuses a timestamp more than five minutes away (a replay of an old delivery), and keeps the
 * event ids it has seen for that long (a replay within it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-TMF-Signature';
export const EVENT_ID_HEADER = 'X-TMF-Event-Id';
/** How far a delivery's timestamp may be from the listener's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureOf(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** Whether a delivery is genuine and fresh: what a listener checks (written here for tests and as a reference). */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  now = Math.floor(Date.now() / 1000),
): boolean {
  const parts = new Map(
    (header ?? '').split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
