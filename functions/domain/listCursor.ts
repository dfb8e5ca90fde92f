/**
 * List cursors: the opaque `cursor` a `Link rel="next"` carries, so that a client following
 * `next` pays for one page per request at any depth. A cursor holds where the walk stands (the
 * last customer of the page in sort order, or each scan segment's place), the offset it stands
 * at, the query it belongs to and when it was made, signed with the table's cursor key
 * (HMAC-SHA256): a cursor that was altered, forged, made for another query or offset, or is older
 * than CURSOR_LIFETIME_MS is refused with a 400.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidQueryError } from '../errors.js';
import type { Comparable, SortPosition } from './sort.js';

/** A walk's place in a list read in sort (or id) order: after this customer. */
export interface ListPosition {
  readonly after: SortPosition;
}

/** A day: long enough to walk millions of customers at any pace, short enough to expire. */
export const CURSOR_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SIGNATURE_BYTES = 16;

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

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest().subarray(0, SIGNATURE_BYTES).toString('base64url');
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
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(key, body)}`;
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
  const [body, signature, ...rest] = cursor.split('.');
  if (!body || !signature || rest.length > 0 || cursor.length > 16_384) throw refused('it is not a cursor');
  const expected = Buffer.from(sign(key, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw refused('it was not made by this service, or it was altered');
  }
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
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
