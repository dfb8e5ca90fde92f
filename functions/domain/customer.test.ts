/**
 * The TMF rules of the customer operations, against the in-memory store (no DynamoDB, no mocks of
 * its commands): ids, versions and ETags, preconditions, retries under contention, storage limits,
 * paging, filtering, sorting and cursors. What reaches DynamoDB is tested with the adapter, in
 * repository/customerRepository.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryCustomerStore, MemorySubscriptionStore } from '../../test/support/memoryStores.js';
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  QueryTooBroadError,
  ValidationError,
} from '../errors.js';
import { createCustomer } from './createCustomer.js';
import { deleteCustomer } from './deleteCustomer.js';
import { publicSubscription, registerListener, retrieveListener, unregisterListener } from './hub.js';
import { listCustomer } from './listCustomer.js';
import { patchCustomer } from './patchCustomer.js';
import { retrieveCustomer } from './retrieveCustomer.js';

const context = { baseUrl: 'https://api.example.com/tmf-api/customerManagement/v4' };
const listSettings = { maxQueryReadItems: 250_000, listCountAhead: 10_000 };
const party = { id: '500', '@referredType': 'Organization' };
const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

let store: MemoryCustomerStore;
beforeEach(() => {
  store = new MemoryCustomerStore();
});

const seedMoon = (version = 1) =>
  store.seed({ id: ID, name: 'Moon', engagedParty: party, '@type': 'Customer' }, version);

describe('createCustomer', () => {
  it('gives the customer an id, its @type and version 1, and answers its href and ETag', async () => {
    const { customer, etag } = await createCustomer(store, { name: 'Moon', engagedParty: party }, context);
    expect(customer.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(customer).toMatchObject({
      name: 'Moon',
      '@type': 'Customer',
      href: `${context.baseUrl}/customer/${customer.id}`,
    });
    expect(etag).toBe('"1"');
    const stored = await store.findCustomer(customer.id);
    expect(stored?.doc).not.toHaveProperty('href');
    expect(stored?.lookups).toEqual(['engagedParty.id=500', 'name=Moon']);
  });

  it('refuses an id or href given by the client, and writes nothing', async () => {
    for (const extra of [{ id: 'mine' }, { href: 'https://x/customer/1' }]) {
      await expect(createCustomer(store, { name: 'Moon', engagedParty: party, ...extra }, context)).rejects.toThrow(
        ValidationError,
      );
    }
    expect(store.writes).toEqual([]);
  });

  it('refuses a customer the store cannot hold (413), or with too many indexed values (400), writing nothing', async () => {
    await expect(createCustomer(store, { name: 'x'.repeat(500_000), engagedParty: party }, context)).rejects.toThrow(
      PayloadTooLargeError,
    );
    const emails = Array.from({ length: 30 }, (_, n) => ({
      mediumType: 'email',
      characteristic: { emailAddress: `u${n}@example.com` },
    }));
    await expect(
      createCustomer(store, { name: 'Moon', engagedParty: party, contactMedium: emails }, context),
    ).rejects.toThrow(/indexed values/);
    expect(store.writes).toEqual([]);
  });
});

describe('retrieveCustomer', () => {
  it('does not read the store for an id of a shape never stored', async () => {
    let reads = 0;
    const find = store.findCustomer.bind(store);
    store.findCustomer = async (id) => ((reads += 1), find(id));
    for (const id of ['has space', '.hidden', 'x'.repeat(129), 'a/b', 'é']) {
      await expect(retrieveCustomer(store, id, {}, context)).rejects.toThrow(NotFoundError);
    }
    expect(reads).toBe(0);
  });

  it('answers the stored version as ETag, id and href first, and only the fields asked for', async () => {
    seedMoon(3);
    const { customer, etag } = await retrieveCustomer(store, ID, {}, context);
    expect(Object.keys(customer).slice(0, 2)).toEqual(['id', 'href']);
    expect(etag).toBe('"3"');
    const { customer: projected } = await retrieveCustomer(store, ID, { fields: ['name'] }, context);
    expect(projected).toEqual({ id: ID, href: `${context.baseUrl}/customer/${ID}`, name: 'Moon' });
  });
});

describe('patchCustomer', () => {
  it('re-reads and re-applies the patch when another writer got there first', async () => {
    seedMoon(1);
    store.staleReplaces = 1;
    const { customer, etag } = await patchCustomer(store, ID, { statusReason: 'checked' }, 'merge', {}, context);
    expect(customer).toMatchObject({ statusReason: 'checked', name: 'Moon' });
    expect(etag).toBe('"3"'); // the other writer's version 2, then this one
  });

  it('writes nothing when the patch changes nothing', async () => {
    seedMoon(4);
    const { etag } = await patchCustomer(store, ID, { name: 'Moon' }, 'merge', {}, context);
    expect(etag).toBe('"4"');
    expect(store.writes).toEqual([]);
  });

  it('answers 412 for a stale or weak If-Match and writes nothing; a current one applies', async () => {
    seedMoon(5);
    for (const ifMatch of ['"4"', 'W/"5"']) {
      await expect(patchCustomer(store, ID, { statusReason: 'x' }, 'merge', { ifMatch }, context)).rejects.toThrow(
        PreconditionFailedError,
      );
    }
    expect(store.writes).toEqual([]);
    const { etag } = await patchCustomer(store, ID, { statusReason: 'x' }, 'merge', { ifMatch: '"4", "5"' }, context);
    expect(etag).toBe('"6"');
  });

  it('answers 412, not a silent retry, when the version moves under an If-Match', async () => {
    seedMoon(1);
    store.staleReplaces = 1;
    await expect(patchCustomer(store, ID, { statusReason: 'x' }, 'merge', { ifMatch: '"1"' }, context)).rejects.toThrow(
      PreconditionFailedError,
    );
  });

  it('gives up with 409 when every attempt finds a newer version', async () => {
    seedMoon(1);
    store.staleReplaces = 1_000;
    await expect(patchCustomer(store, ID, { statusReason: 'x' }, 'merge', {}, context)).rejects.toThrow(ConflictError);
    expect(store.writes).toEqual([]);
  });

  it('refuses a patch that changes id or href, and answers 404 when the customer is gone', async () => {
    seedMoon(1);
    await expect(
      patchCustomer(store, ID, [{ op: 'replace', path: '/id', value: 'other' }], 'json-patch', {}, context),
    ).rejects.toThrow(ValidationError);
    await expect(
      patchCustomer(store, '01ARZ3NDEKTSV4RRFFQ69G5FZZ', { name: 'Sun' }, 'merge', {}, context),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('deleteCustomer', () => {
  it('removes the customer; 404 when there is none; 412 for a stale If-Match', async () => {
    seedMoon(2);
    await expect(deleteCustomer(store, ID, { ifMatch: '"1"' })).rejects.toThrow(PreconditionFailedError);
    await deleteCustomer(store, ID, { ifMatch: '"2"' });
    expect(await store.findCustomer(ID)).toBeUndefined();
    await expect(deleteCustomer(store, ID)).rejects.toThrow(NotFoundError);
  });
});

describe('listCustomer', () => {
  const ids = Array.from({ length: 12 }, (_, n) => `01ARZ3NDEKTSV4RRFFQ69G5F${String(n).padStart(2, '0')}`);
  beforeEach(() => {
    ids.forEach((id, n) =>
      store.seed({
        id,
        name: `c${n % 3}`,
        engagedParty: party,
        status: n % 2 === 0 ? 'Approved' : 'Initialized',
        contactMedium: [{ mediumType: 'postalAddress', characteristic: { city: n < 6 ? 'Lyon' : 'Paris' } }],
      }),
    );
  });
  const list = (params: Record<string, string[]>, deadline?: number) =>
    listCustomer(store, listSettings, params, { ...context, ...(deadline === undefined ? {} : { deadline }) });
  const idsOf = (page: { customers: Record<string, unknown>[] }) => page.customers.map((c) => c.id);

  it('pages in id order with the total count', async () => {
    const page = await list({ offset: ['1'], limit: ['3'] });
    expect(idsOf(page)).toEqual(ids.slice(1, 4));
    expect(page.totalCount).toBe(12);
  });

  it('filters on an indexed attribute and on one no index serves, counting every match', async () => {
    const approved = await list({ status: ['Approved'] });
    expect(idsOf(approved)).toEqual(ids.filter((_, n) => n % 2 === 0));
    expect(approved.totalCount).toBe(6);
    const paris = await list({ 'contactMedium.characteristic.city': ['Paris'], status: ['Initialized'] });
    expect(idsOf(paris)).toEqual([ids[7], ids[9], ids[11]]);
    expect(paris.totalCount).toBe(3);
  });

  it('sorts, and walks every match exactly once by cursors', async () => {
    const sorted = await list({ sort: ['-name'], limit: ['12'] });
    expect(sorted.customers.map((c) => c.name)).toEqual(
      [...sorted.customers.map((c) => c.name as string)].sort().reverse(),
    );
    const seen: unknown[] = [];
    let params: Record<string, string[]> = { limit: ['5'], sort: ['name'] };
    for (let pages = 0; pages < 10; pages++) {
      const page = await list(params);
      seen.push(...idsOf(page));
      const cursor = page.nextCursor(page.customers.length);
      if (!cursor) break;
      // As the next link says: the cursor, and the offset the next page starts at.
      params = { limit: ['5'], sort: ['name'], offset: [String(seen.length)], cursor: [cursor] };
    }
    expect([...seen].sort()).toEqual(ids);
  });

  it('refuses a deep offset past the deadline, and a sort that would read past the budget', async () => {
    await expect(list({ offset: ['5'] }, Date.now() - 1)).rejects.toThrow(QueryTooBroadError);
    await expect(
      listCustomer(store, { ...listSettings, maxQueryReadItems: 5 }, { sort: ['name'] }, context),
    ).rejects.toThrow(/more than 5 customers/);
  });
});

describe('hub', () => {
  it('registers a listener with a signing secret it never shows again, and unregisters it', async () => {
    const subscriptions = new MemorySubscriptionStore();
    const { subscription, href } = await registerListener(
      subscriptions,
      { allowPrivateCallbacks: true },
      { callback: 'http://127.0.0.1:4000/listener', query: 'eventType=CustomerCreateEvent' },
      context,
    );
    expect(href).toBe(`${context.baseUrl}/hub/${subscription.id}`);
    expect(subscription.signingSecret).toMatch(/^whsec_/);
    const { subscription: read } = await retrieveListener(subscriptions, subscription.id, context);
    expect(publicSubscription(read)).not.toHaveProperty('signingSecret');
    await unregisterListener(subscriptions, subscription.id);
    await expect(unregisterListener(subscriptions, subscription.id)).rejects.toThrow(NotFoundError);
  });

  it('refuses a private callback unless the deployment allows them', async () => {
    await expect(
      registerListener(
        new MemorySubscriptionStore(),
        { allowPrivateCallbacks: false },
        { callback: 'http://127.0.0.1/x' },
        context,
      ),
    ).rejects.toThrow(ValidationError);
  });
});
