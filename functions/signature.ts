/**
 * Signed deliveries, in the Standard Webhooks scheme (standardwebhooks.com), so that a listener
 * can verify them with an off-the-shelf library in its own language. Every event POSTed to a hub
 * listener carries
 *
 *   webhook-id:        <eventId>                 also sent as X-TMF-Event-Id, the same value
 *   webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">
 *
 * keyed with the bytes of the subscription's secret (`whsec_<base64>`), made when the listener
 * registers and answered once, in the 201 of POST /hub. The id is signed with the body: a captured
 * delivery re-sent under another id fails the check, so a listener that refuses a timestamp more
 * than five minutes away and an id it has already accepted refuses every replay.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
/** TMF's name for the event id; always equal to the signed webhook-id. */
export const EVENT_ID_HEADER = 'X-TMF-Event-Id';
/** How far a delivery's timestamp may be from the listener's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The key bytes of a secret (Node's base64 reader also takes the base64url of earlier secrets). */
function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

function hmac(secret: string, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

/** The headers that sign one delivery of `body` under the event id `id`. */
export function signedHeaders(
  secret: string,
  id: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: `v1,${hmac(secret, id, timestamp, body)}`,
    [EVENT_ID_HEADER]: id,
  };
}

/** Headers as a listener receives them (names in lower case, as Node gives them). */
export type ReceivedHeaders = Readonly<Record<string, string | string[] | undefined>>;

const header = (headers: ReceivedHeaders, name: string) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Whether a delivery is genuine and fresh: the reference check (the bundled listener and the tests
 * use it; a listener elsewhere uses a Standard Webhooks library). It does not remember ids: the
 * caller refuses an id it has already accepted.
 */
export function verifyDelivery(
  secret: string,
  headers: ReceivedHeaders,
  body: string,
  now = Math.floor(Date.now() / 1000),
): boolean {
  const id = header(headers, WEBHOOK_ID_HEADER);
  const timestamp = Number(header(headers, WEBHOOK_TIMESTAMP_HEADER));
  if (!id || !Number.isInteger(timestamp) || Math.abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const tmfId = header(headers, EVENT_ID_HEADER);
  if (tmfId !== undefined && tmfId !== id) return false;
  const expected = Buffer.from(hmac(secret, id, timestamp, body), 'utf8');
  // Space-separated `version,signature` pairs; any v1 that matches will do (key rotation).
  return (header(headers, WEBHOOK_SIGNATURE_HEADER) ?? '').split(' ').some((pair) => {
    const [version, signature = ''] = pair.split(',');
    const given = Buffer.from(signature, 'utf8');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
