/**
 * TMF629 Customer operations on single customers: the rules of the API, independent of HTTP and
 * of DynamoDB's call shapes. Each exported function is one TMF629 operation.
 */
import { isDeepStrictEqual } from 'node:util';
import { isValid as isUlid, ulid } from 'ulid';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  ValidationError,
} from '../errors.js';
import * as repository from '../repository/customerRepository.js';
import {
  MAX_ITEM_BYTES,
  MAX_LOOKUP_ENTRIES,
  itemSizeBytes,
  lookupEntriesOf,
  toCustomerItem,
  type StoredCustomer,
} from '../repository/customerTable.js';
import { changesBetween, type CustomerChanges } from './changes.js';
import { project } from './fields.js';
import { parseRetrieveQuery, type QueryParams } from './listQuery.js';
import { applyPatchDocument, type PatchFormat } from './patch.js';
import { etagOf, represent, type CustomerResource, type ResourceContext } from './representation.js';
import { checkCustomer, checkCustomerCreate } from './validation.js';

export { listCustomer } from './listCustomer.js';
export type { ResourceContext } from './representation.js';
export type { PatchFormat } from './patch.js';

export const CUSTOMER_TYPE = 'Customer';
/**
 * Attempts at a read-modify-write before a write gives up under contention. Between attempts a
 * randomised, growing pause spreads competing writers out (50 concurrent PATCHes of one customer
 * all land).
 */
const WRITE_ATTEMPTS = 40;
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

export interface VersionedCustomer {
  readonly customer: CustomerResource;
  /** Strong entity tag of the stored version. */
  readonly etag: string;
}

export interface PatchedCustomer extends VersionedCustomer {
  /** What the PATCH changed (nothing, when the patch left the customer as it was). */
  readonly changes: CustomerChanges;
}

/** Preconditions a client may set on a write. */
export interface WritePreconditions {
  /** The If-Match header as sent: `*`, or a list of entity tags. */
  readonly ifMatch?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function versioned(stored: StoredCustomer, context: ResourceContext): VersionedCustomer {
  return { customer: represent(stored, context), etag: etagOf(stored) };
}

function assertStorable(doc: Record<string, unknown>): void {
  const lookups = lookupEntriesOf(doc);
  if (lookups.length > MAX_LOOKUP_ENTRIES) {
    throw new ValidationError(
      `Customer has ${lookups.length} distinct indexed values (names, statuses, emails, phone numbers); at most ${MAX_LOOKUP_ENTRIES} are kept per customer`,
    );
  }
  const size = itemSizeBytes(toCustomerItem(doc, 0, lookups));
  if (size > MAX_ITEM_BYTES) {
    throw new PayloadTooLargeError(
      `Customer would take ${size} bytes; the most one customer can hold is ${MAX_ITEM_BYTES} bytes`,
    );
  }
}

/** Ids are ULIDs; anything else cannot name a stored customer, so it is simply not found. */
function assertKnownIdShape(id: string): void {
  if (!isUlid(id)) throw new NotFoundError(`No customer with id "${id.slice(0, 64)}"`);
}

async function findOrFail(id: string): Promise<StoredCustomer> {
  const stored = await repository.findCustomer(id);
  if (!stored) throw new NotFoundError(`No customer with id "${id}"`);
  return stored;
}

/** RFC 9110 If-Match: `*` or a list of strong tags; a weak tag never matches. */
function assertIfMatch(stored: StoredCustomer, preconditions: WritePreconditions): void {
  const header = preconditions.ifMatch?.trim();
  if (header === undefined || header === '') return;
  if (header === '*') return;
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.includes(etagOf(stored))) {
    throw new PreconditionFailedError(
      `If-Match ${header.slice(0, 128)} does not match the current version ${etagOf(stored)}; nothing was changed`,
    );
  }
}

export async function createCustomer(body: unknown, context: ResourceContext): Promise<VersionedCustomer> {
  if (!isObject(body)) throw new BadRequestError('The body must be a JSON object describing a Customer');
  for (const attribute of ['id', 'href']) {
    if (attribute in body)
      throw new ValidationError(`${attribute}: is set by the server and cannot be given in a create`);
  }
  checkCustomerCreate(body);
  const doc: Record<string, unknown> = { id: ulid(), ...body, '@type': body['@type'] ?? CUSTOMER_TYPE };
  assertStorable(doc);
  return versioned(await repository.insertCustomer(doc), context);
}

export async function retrieveCustomer(
  id: string,
  params: QueryParams,
  context: ResourceContext,
): Promise<{ customer: Record<string, unknown>; etag: string }> {
  const { fields } = parseRetrieveQuery(params);
  assertKnownIdShape(id);
  const { customer, etag } = versioned(await findOrFail(id), context);
  return { customer: project(customer, fields), etag };
}

/**
 * Applies a patch to the latest version. Without If-Match, a concurrent write makes it re-read
 * and re-apply (bounded); with If-Match, the version must be the one the client named.
 */
export async function patchCustomer(
  id: string,
  body: unknown,
  format: PatchFormat,
  preconditions: WritePreconditions,
  context: ResourceContext,
): Promise<PatchedCustomer> {
  assertKnownIdShape(id);
  if (format === 'merge' && isObject(body)) {
    for (const attribute of ['id', 'href']) {
      if (attribute in body) throw new ValidationError(`${attribute}: is set by the server and cannot be patched`);
    }
  }
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const current = await findOrFail(id);
    assertIfMatch(current, preconditions);
    const before = represent(current, context);
    const patched = applyPatchDocument(before, body, format);
    for (const attribute of ['id', 'href'] as const) {
      if (!isDeepStrictEqual(patched[attribute], before[attribute])) {
        throw new ValidationError(`${attribute}: is set by the server and cannot be patched`);
      }
    }
    const { href: _href, ...doc } = patched;
    doc['@type'] ??= CUSTOMER_TYPE;
    checkCustomer(doc);
    const changes = changesBetween(current.doc, doc);
    if (changes.attributes.length === 0) return { ...versioned(current, context), changes };
    assertStorable(doc);
    try {
      return { ...versioned(await repository.replaceCustomer(doc, current), context), changes };
    } catch (error) {
      if (!(error instanceof repository.StaleVersionError)) throw error;
      if (preconditions.ifMatch) {
        throw new PreconditionFailedError('The customer changed while this PATCH was applied; nothing was changed');
      }
      // Another writer got there first: re-read and apply the patch to the newer version.
      await backoff(attempt);
    }
  }
  throw new ConflictError(`Customer "${id}" is being changed by others too often; retry the PATCH`);
}

export async function deleteCustomer(id: string, preconditions: WritePreconditions = {}): Promise<void> {
  assertKnownIdShape(id);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const current = await findOrFail(id);
    assertIfMatch(current, preconditions);
    try {
      await repository.removeCustomer(current);
      return;
    } catch (error) {
      if (!(error instanceof repository.StaleVersionError)) throw error;
      if (preconditions.ifMatch) {
        throw new PreconditionFailedError('The customer changed while this DELETE was applied; nothing was deleted');
      }
      await backoff(attempt);
    }
  }
  throw new ConflictError(`Customer "${id}" is being changed by others too often; retry the DELETE`);
}
