/**
 * TMF629 Customer operations: the rules of the API, independent of HTTP and of DynamoDB's
 * call shapes. Each exported function is one TMF629 operation.
 */
import { isValid as isUlid, ulid } from 'ulid';
import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors.js';
import * as repository from '../repository/customerRepository.js';
import { MAX_ITEM_BYTES, itemSizeBytes, toCustomerItem, type StoredCustomer } from '../repository/customerTable.js';
import { project } from './fields.js';
import { parseListQuery, parseRetrieveQuery, type QueryParams } from './listQuery.js';
import { applyMergePatch } from './mergePatch.js';
import { checkCustomer, checkCustomerCreate } from './validation.js';

export const CUSTOMER_TYPE = 'Customer';
/** Attempts at a read-modify-write before a PATCH gives up under contention. */
const PATCH_ATTEMPTS = 8;

export interface ResourceContext {
  /** Absolute URL of the API base path as the client addresses it, without a trailing slash. */
  readonly baseUrl: string;
}

export type CustomerResource = Record<string, unknown> & { id: string; href: string };

export interface VersionedCustomer {
  readonly customer: CustomerResource;
  /** Strong entity tag of the stored version. */
  readonly etag: string;
}

export interface CustomerPage {
  readonly customers: Record<string, unknown>[];
  /** All customers matching the query, whatever the page. */
  readonly totalCount: number;
  readonly offset: number;
  readonly limit: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hrefOf(id: string, context: ResourceContext): string {
  return `${context.baseUrl}/customer/${id}`;
}

/** The full representation: id and href first, the stored attributes after. */
function represent(stored: StoredCustomer, context: ResourceContext): VersionedCustomer {
  const id = stored.doc.id as string;
  const { id: _id, href: _href, ...attributes } = stored.doc;
  return {
    customer: { id, href: hrefOf(id, context), ...attributes },
    etag: `"${stored.version}"`,
  };
}

function assertStorable(doc: Record<string, unknown>): void {
  const size = itemSizeBytes(toCustomerItem(doc, 0));
  if (size > MAX_ITEM_BYTES) {
    throw new PayloadTooLargeError(
      `Customer would take ${size} bytes; the most one customer can hold is ${MAX_ITEM_BYTES} bytes`,
    );
  }
}

function rejectServerOwned(body: Record<string, unknown>, operation: string): void {
  for (const attribute of ['id', 'href'] as const) {
    if (attribute in body) {
      throw new ValidationError(`${attribute}: is set by the server and cannot be given in a ${operation}`);
    }
  }
}

/** Ids are ULIDs; anything else cannot name a stored customer, so it is simply not found. */
function assertKnownIdShape(id: string): void {
  if (!isUlid(id)) throw new NotFoundError(`No customer with id "${id.slice(0, 64)}"`);
}

export async function createCustomer(body: unknown, context: ResourceContext): Promise<VersionedCustomer> {
  if (!isObject(body)) throw new BadRequestError('The body must be a JSON object describing a Customer');
  rejectServerOwned(body, 'create');
  checkCustomerCreate(body);
  const doc: Record<string, unknown> = { id: ulid(), ...body, '@type': body['@type'] ?? CUSTOMER_TYPE };
  assertStorable(doc);
  return represent(await repository.insertCustomer(doc), context);
}

export async function retrieveCustomer(
  id: string,
  params: QueryParams,
  context: ResourceContext,
): Promise<{ customer: Record<string, unknown>; etag: string }> {
  const { fields } = parseRetrieveQuery(params);
  assertKnownIdShape(id);
  const stored = await repository.findCustomer(id);
  if (!stored) throw new NotFoundError(`No customer with id "${id}"`);
  const { customer, etag } = represent(stored, context);
  return { customer: project(customer, fields), etag };
}

function intersect(lists: string[][]): string[] {
  const [first, ...rest] = lists;
  if (!first) return [];
  const others = rest.map((list) => new Set(list));
  return first.filter((id) => others.every((set) => set.has(id)));
}

async function idsByName(nameAlternatives: readonly (readonly string[])[]): Promise<string[]> {
  const perParameter = await Promise.all(
    nameAlternatives.map(async (names) => {
      const lists = await Promise.all([...new Set(names)].map((name) => repository.findCustomerIdsByName(name)));
      return [...new Set(lists.flat())].sort();
    }),
  );
  return intersect(perParameter);
}

export async function listCustomer(params: QueryParams, context: ResourceContext): Promise<CustomerPage> {
  const query = parseListQuery(params);
  const { offset, limit, fields } = query;
  const page = (stored: StoredCustomer[], totalCount: number): CustomerPage => ({
    customers: stored.map((one) => project(represent(one, context).customer, fields)),
    totalCount,
    offset,
    limit,
  });

  if (query.id.length > 0) {
    // id= is a primary-key lookup; a name= beside it narrows the result further.
    const ids = intersect(query.id.map((ids) => [...new Set(ids)].filter((id) => isUlid(id)).sort()));
    let stored = await repository.getCustomers(ids);
    if (query.name.length > 0) {
      stored = stored.filter((one) => query.name.every((names) => names.includes(one.doc.name as string)));
    }
    return page(stored.slice(offset, offset + limit), stored.length);
  }
  if (query.name.length > 0) {
    const ids = await idsByName(query.name);
    return page(await repository.getCustomers(ids.slice(offset, offset + limit)), ids.length);
  }
  const [totalCount, ids] = await Promise.all([
    repository.countCustomers(),
    limit === 0 ? Promise.resolve([]) : repository.listCustomerIds(offset, limit),
  ]);
  return page(await repository.getCustomers(ids), totalCount);
}

export async function patchCustomer(id: string, patch: unknown, context: ResourceContext): Promise<VersionedCustomer> {
  assertKnownIdShape(id);
  if (!isObject(patch)) {
    throw new BadRequestError('A JSON Merge Patch of a Customer must be a JSON object');
  }
  rejectServerOwned(patch, 'patch');
  for (let attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
    const current = await repository.findCustomer(id);
    if (!current) throw new NotFoundError(`No customer with id "${id}"`);
    const patched = applyMergePatch(current.doc, patch) as Record<string, unknown>;
    const doc: Record<string, unknown> = { ...patched, id, '@type': patched['@type'] ?? CUSTOMER_TYPE };
    checkCustomer(doc);
    assertStorable(doc);
    try {
      return represent(await repository.replaceCustomer(doc, current.version), context);
    } catch (error) {
      if (!(error instanceof repository.StaleVersionError)) throw error;
      // Another writer got there first: re-read and apply the patch to the newer version.
    }
  }
  throw new ConflictError(`Customer "${id}" is being changed by others too often; retry the PATCH`);
}

export async function deleteCustomer(id: string): Promise<void> {
  assertKnownIdShape(id);
  try {
    await repository.removeCustomer(id);
  } catch (error) {
    if (error instanceof repository.MissingCustomerError) throw new NotFoundError(`No customer with id "${id}"`);
    throw error;
  }
}
