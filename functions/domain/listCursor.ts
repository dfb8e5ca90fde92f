/**
 * List cursors: the opaque `cursor` a `Link rel="next"` carries, so that a client following
 * `next` pays for one page per request at any depth. A cursor holds where the walk stands (the
 * last customer of the page in sort order, or each scan segment's place), the offset it stands
 * at, the query it belongs to and when it was made, sealed with the table's cursor key
 * (AES-256-GCM: authenticated, and opaque, so the sort values of a customer never show in a URL).
 * A cursor that was altered, forged, made for another query or offset, or is older than
 * CURSOR_LIFETIME_MS is refused with a 400.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidQueryError } from '../errors.js';
import type { Comparable, SortPosition } from './sort.js';

/** A walk's place in a list read in sort (or id) order: after this customer. */
export interface ListPosition {
  readonly after: SortPosition;
}

/** A day: long enough to walk millions of customers at any pace, short enough to expire. */
export const CURSOR_LIFETIME_MS = 24 * 60 * 60 * 1000;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Payload {
  readonly v: 1;
  /** The query's fingerprint (listQuery.ts). */
  readonly q: string;
  /** The offset of the page this cursor starts. */
  readonly o: number;
  /** When it was made, in ms since the epoch. */
  readonly t: number;
  /** The sort values and id of the last customer before the page. */
  readonly a: readonly [readonly (Comparable | null)[], string];
}

function seal(key: Buffer, plain: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The plain text, or undefined when the cursor was not sealed with this key or was altered. */
function unseal(key: Buffer, cursor: string): Buffer | undefined {
  const [ivText, sealedText, ...rest] = cursor.split('.');
  if (!ivText || !sealedText || rest.length > 0) return undefined;
  const iv = Buffer.from(ivText, 'base64url');
  const sealed = Buffer.from(sealedText, 'base64url');
  if (iv.length !== IV_BYTES || sealed.length <= TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

export function sealCursor(
  key: Buffer,
  position: ListPosition,
  binding: { readonly fingerprint: string; readonly offset: number },
  now = Date.now(),
): string {
  const payload: Payload = {
    v: 1,
    q: binding.fingerprint,
    o: binding.offset,
    t: now,
    a: [position.after.values, position.after.id],
  };
  return seal(key, Buffer.from(JSON.stringify(payload), 'utf8'));
}

const refused = (why: string) =>
  new InvalidQueryError(`cursor: ${why}; follow the next link of a recent page, or start again without a cursor`);

function isComparable(value: unknown): value is Comparable | null {
  if (value === null) return true;
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    (typeof value[1] === 'number' || typeof value[1] === 'string')
  );
}

/** The position a cursor holds, if it is genuine, fresh, and made for this query and offset. */
export function openCursor(
  key: Buffer,
  cursor: string,
  binding: { readonly fingerprint: string; readonly offset: number; readonly sortKeys: number },
  now = Date.now(),
): ListPosition {
  if (cursor.length > 16_384) throw refused('it is not a cursor');
  const plain = unseal(key, cursor);
  if (!plain) throw refused('it was not made by this service, or it was altered');
  let payload: Payload;
  try {
    payload = JSON.parse(plain.toString('utf8')) as Payload;
  } catch {
    throw refused('it is not a cursor');
  }
  if (payload.v !== 1) throw refused('it was made by another version of this service');
  if (payload.q !== binding.fingerprint) throw refused('it was made for another query');
  if (payload.o !== binding.offset) throw refused(`it starts the page at offset ${payload.o}, not ${binding.offset}`);
  if (typeof payload.t !== 'number' || now - payload.t > CURSOR_LIFETIME_MS) throw refused('it has expired');
  const after = payload.a;
  if (
    Array.isArray(after) &&
    Array.isArray(after[0]) &&
    after[0].length === binding.sortKeys &&
    after[0].every(isComparable) &&
    typeof after[1] === 'string'
  ) {
    return { after: { values: after[0], id: after[1] } };
  }
  throw refused('it is not a cursor');
}
