/**
 * The domain's operations through the DynamoDB adapter, DynamoDB's answers scripted (aws-sdk-client-mock).
 * Over 300 lines: one case per transaction shape, condition and retry the adapter must get right.
 */
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  QueryTooBroadError,
} from '../errors.js';
import { createCustomer } from '../domain/createCustomer.js';
import { deleteCustomer } from '../domain/deleteCustomer.js';
import { listCustomer } from '../domain/listCustomer.js';
import { BUILT_IN_LOOKUP_ATTRIBUTES } from '../domain/lookupAttributes.js';
import { patchCustomer } from '../domain/patchCustomer.js';
import { StoreUnavailableError } from '../domain/ports.js';
import { retrieveCustomer } from '../domain/retrieveCustomer.js';
import { dynamoCustomerStore } from './customerRepository.js';
import { customerKey, LIST_SHARDS, listShardOf, toCustomerItem } from './customerTable.js';

// The domain's operations through the DynamoDB adapter, with DynamoDB's answers scripted: what
// reaches the table (transactions, conditions, consistent reads, retries). The domain's own rules
// are tested against the in-memory store (functions/domain/customer.test.ts).
const ddb = mockClient(DynamoDBDocumentClient);
const store = dynamoCustomerStore(
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }),
  ),
  { tableName: 'unit-test-table', lookupAttributes: BUILT_IN_LOOKUP_ATTRIBUTES },
);
const listSettings = { maxQueryReadItems: 250_000, listCountAhead: 10_000 };
const context = { baseUrl: 'https://api.example.com/tmf-api/customerManagement/v4' };
const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const stored = (version: number, extra: Record<string, unknown> = {}) =>
  toCustomerItem(
    {
      id: ID,
      name: 'Moon',
      engagedParty: { id: '500', '@referredType': 'Organization' },
      '@type': 'Customer',
      ...extra,
    },
    version,
    ['engagedParty.id=500', 'name=Moon'],
  );

beforeEach(() => ddb.reset());

describe('createCustomer', () => {
  it('writes the customer, its lookup items and counter shards in one transaction, refusing to overwrite', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const { customer, etag } = await createCustomer(
      store,
      { name: 'Moon', engagedParty: { id: '500', '@referredType': 'Organization' } },
      context,
    );
    expect(customer).toMatchObject({ name: 'Moon', '@type': 'Customer' });
    expect(customer.href).toBe(`${context.baseUrl}/customer/${customer.id}`);
    expect(etag).toBe('"1"');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const [put, ...rest] = items;
    expect(put?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put?.Put?.Item).toMatchObject({
      ...customerKey(customer.id),
      version: 1,
      lookups: ['engagedParty.id=500', 'name=Moon'],
    });
    expect(JSON.parse(put?.Put?.Item?.doc as string)).not.toHaveProperty('href');
    expect(rest.filter((i) => i.Put).map((i) => i.Put?.Item?.lookupKey)).toEqual(['engagedParty.id=500', 'name=Moon']);
    const counters = rest
      .filter((i) => i.Update)
      .map((i) => [i.Update?.Key?.pk, i.Update?.ExpressionAttributeValues?.[':delta']]);
    expect(counters).toEqual([
      ['COUNT#all', 1],
      ['COUNT#engagedParty.id=500', 1],
      ['COUNT#name=Moon', 1],
    ]);
  });

  it('retries a transaction that lost a race on a counter shard', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'conflict',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
        }),
      )
      .resolves({});
    await createCustomer(
      store,
      { name: 'Moon', engagedParty: { id: '500', '@referredType': 'Organization' } },
      context,
    );
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });

  it('answers 503, not 500, when transactions keep colliding', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'conflict',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      }),
    );
    await expect(
      createCustomer(store, { name: 'Moon', engagedParty: { id: '500', '@referredType': 'Organization' } }, context),
    ).rejects.toThrow(StoreUnavailableError);
  });

  it('refuses a customer too large for one item without calling DynamoDB', async () => {
    await expect(
      createCustomer(
        store,
        { name: 'x'.repeat(500_000), engagedParty: { id: '1', '@referredType': 'Organization' } },
        context,
      ),
    ).rejects.toThrow(PayloadTooLargeError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('retrieveCustomer', () => {
  it('does not ask DynamoDB for an id of a shape never stored', async () => {
    for (const id of ['has space', '.hidden', 'x'.repeat(129), 'a/b', 'é']) {
      await expect(retrieveCustomer(store, id, {}, context)).rejects.toThrow(NotFoundError);
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('reads a legacy (imported) id such as a UUID or a BSS account number', async () => {
    ddb.on(GetCommand).resolves({ Item: undefined });
    for (const id of ['c2df1950-c17c-4576-9c22-e59073a4a86a', 'CUST-000123', 'acct.42_x~1']) {
      await expect(retrieveCustomer(store, id, {}, context)).rejects.toThrow(NotFoundError);
    }
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 3);
  });

  it('reads with a consistent GetItem and answers the stored version as ETag', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(3) });
    const { customer, etag } = await retrieveCustomer(store, ID, {}, context);
    expect(customer).toMatchObject({ id: ID, href: `${context.baseUrl}/customer/${ID}`, name: 'Moon' });
    expect(Object.keys(customer).slice(0, 2)).toEqual(['id', 'href']);
    expect(etag).toBe('"3"');
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: customerKey(ID), ConsistentRead: true });
  });
});

describe('patchCustomer', () => {
  it('re-reads and re-applies the patch when another writer got there first', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: stored(1) })
      .resolvesOnce({ Item: stored(2, { validFor: { startDateTime: '2026-01-01T00:00:00Z' } }) });
    ddb
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }))
      .resolves({});
    const { customer, etag } = await patchCustomer(store, ID, { statusReason: 'checked' }, 'merge', {}, context);
    expect(customer).toMatchObject({ statusReason: 'checked', validFor: { startDateTime: '2026-01-01T00:00:00Z' } });
    expect(etag).toBe('"3"');
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.ExpressionAttributeValues?.[':expected'])).toEqual([1, 2]);
    // Conditional on the lookups read as well: a reindex may change those without the version.
    expect(puts[0]?.ConditionExpression).toBe('version = :expected AND lookups = :lookups');
    expect(puts[1]?.Item).toMatchObject({ version: 3 });
  });

  it('moves lookup items and counts in one transaction when an indexed value changes', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(1) });
    ddb.on(TransactWriteCommand).resolves({});
    const { customer } = await patchCustomer(store, ID, { name: 'Sun', status: 'Approved' }, 'merge', {}, context);
    expect(customer).toMatchObject({ name: 'Sun', status: 'Approved' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.ConditionExpression).toBe('version = :expected AND lookups = :lookups');
    expect(items.filter((i) => i.Put).map((i) => i.Put?.Item?.sk)).toEqual([
      'CUSTOMER',
      'LOOKUP#name=Sun',
      'LOOKUP#status=Approved',
    ]);
    expect(items.filter((i) => i.Delete).map((i) => i.Delete?.Key?.sk)).toEqual(['LOOKUP#name=Moon']);
    const counters = items
      .filter((i) => i.Update)
      .map((i) => [i.Update?.Key?.pk, i.Update?.ExpressionAttributeValues?.[':delta']]);
    expect(counters).toEqual([
      ['COUNT#name=Sun', 1],
      ['COUNT#status=Approved', 1],
      ['COUNT#name=Moon', -1],
    ]);
  });

  it('writes nothing when the patch changes nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(4) });
    const { etag } = await patchCustomer(store, ID, { name: 'Moon' }, 'merge', {}, context);
    expect(etag).toBe('"4"');
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 0);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('answers 412 for a stale If-Match and writes nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(5) });
    await expect(patchCustomer(store, ID, { statusReason: 'x' }, 'merge', { ifMatch: '"4"' }, context)).rejects.toThrow(
      PreconditionFailedError,
    );
    await expect(
      patchCustomer(store, ID, { statusReason: 'x' }, 'merge', { ifMatch: 'W/"5"' }, context),
    ).rejects.toThrow(PreconditionFailedError);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 0);
  });

  it('gives up with 409 when every attempt finds a newer version', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(1) });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));
    await expect(patchCustomer(store, ID, { statusReason: 'x' }, 'merge', {}, context)).rejects.toThrow(ConflictError);
    expect(ddb.commandCalls(PutCommand).length).toBeGreaterThan(1);
  });

  it('answers 404 when the customer is gone', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(patchCustomer(store, ID, { name: 'Sun' }, 'merge', {}, context)).rejects.toThrow(NotFoundError);
  });
});

describe('deleteCustomer', () => {
  it('deletes the version it read, its lookup items and counts, in one transaction', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(2) });
    ddb.on(TransactWriteCommand).resolves({});
    await deleteCustomer(store, ID);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Delete).toMatchObject({
      Key: customerKey(ID),
      ConditionExpression: 'version = :expected AND lookups = :lookups',
      ExpressionAttributeValues: { ':expected': 2, ':lookups': expect.any(Array) },
    });
    expect(
      items
        .slice(1)
        .filter((i) => i.Delete)
        .map((i) => i.Delete?.Key?.sk),
    ).toEqual(['LOOKUP#engagedParty.id=500', 'LOOKUP#name=Moon']);
    expect(items.filter((i) => i.Update).map((i) => i.Update?.ExpressionAttributeValues?.[':delta'])).toEqual([
      -1, -1, -1,
    ]);
  });

  it('answers 404 when there is no such customer', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(deleteCustomer(store, ID)).rejects.toThrow(NotFoundError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('answers 412 for a stale If-Match', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(2) });
    await expect(deleteCustomer(store, ID, { ifMatch: '"1"' })).rejects.toThrow(PreconditionFailedError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('listCustomer', () => {
  beforeEach(() => {
    ddb.on(GetCommand).resolves({ Item: { key: Buffer.alloc(32, 1).toString('base64') } });
  });
  const customerIds = Array.from({ length: 12 }, (_, n) => `01ARZ3NDEKTSV4RRFFQ69G5F${String(n).padStart(2, '0')}`);
  /** Each shard of the list index answers its customers after `:after`, up to Limit. */
  const serveListShards = (city = 'Lyon') =>
    ddb.on(QueryCommand, { IndexName: 'byListShard' }).callsFake((input: QueryCommandInput) => {
      const values = input.ExpressionAttributeValues ?? {};
      const after = (values[':after'] as string | undefined) ?? '';
      const held = customerIds.filter((id) => listShardOf(id) === values[':value'] && id > after);
      const items = held.slice(0, input.Limit).map((id) => {
        const {
          pk: _pk,
          sk: _sk,
          ...item
        } = toCustomerItem({ id, name: id, contactMedium: [{ characteristic: { city } }] }, 1, []);
        return item;
      });
      return {
        Items: items,
        ...(held.length > (input.Limit ?? 0) ? { LastEvaluatedKey: { id: items.at(-1)?.id } } : {}),
      };
    });

  it('counts from the counter shards and reads about offset+limit customers from the list index', async () => {
    ddb.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [{ count: 10 }, { count: 2 }] });
    serveListShards();
    const page = await listCustomer(store, listSettings, { offset: ['1'], limit: ['3'] }, context);
    expect(page.totalCount).toBe(12);
    expect(page.customers.map((c: Record<string, unknown>) => c.id)).toEqual(customerIds.slice(1, 4));
    const read = ddb
      .commandCalls(QueryCommand)
      .filter((call) => call.args[0].input.IndexName === 'byListShard')
      .reduce((sum, call) => sum + (call.args[0].input.Limit ?? 0), 0);
    expect(read).toBeLessThanOrEqual(LIST_SHARDS * 3);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 0);
  });

  it('reads no index key for an offset past the end of the list', async () => {
    ddb.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [{ count: 3 }] });
    const page = await listCustomer(store, listSettings, { offset: ['10'], limit: ['5'] }, context);
    expect(page).toMatchObject({ customers: [], totalCount: 3 });
    expect(ddb.commandCalls(QueryCommand).filter((call) => call.args[0].input.IndexName)).toHaveLength(0);
  });

  it('stops a deep offset that passes the deadline with 400 QUERY_TOO_BROAD', async () => {
    ddb.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [{ count: 5_000_000 }] });
    serveListShards();
    await expect(
      listCustomer(store, listSettings, { offset: ['4000000'] }, { ...context, deadline: Date.now() - 1 }),
    ).rejects.toThrow(QueryTooBroadError);
  });

  it('answers what a filter no index serves found by the deadline, with a cursor to go on instead of a 400', async () => {
    serveListShards('Lyon');
    const page = await listCustomer(
      store,
      listSettings,
      { 'contactMedium.characteristic.city': ['Paris'] },
      { ...context, deadline: Date.now() - 1 },
    );
    expect(page.customers).toEqual([]);
    expect(page.totalCount).toBeUndefined();
    expect(page.nextCursor(0)).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 0);
  });

  it('retries keys BatchGetItem left unprocessed', async () => {
    const ids = ['01ARZ3NDEKTSV4RRFFQ69G5FA1', '01ARZ3NDEKTSV4RRFFQ69G5FA2'];
    const items = ids.map((id) => toCustomerItem({ id, name: id, engagedParty: {} }, 1, []));
    ddb.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [{ count: 2 }] });
    ddb.on(QueryCommand, { IndexName: 'byLookup' }).resolves({ Items: ids.map((id) => ({ id })) });
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { 'unit-test-table': [items[1]!] },
        UnprocessedKeys: { 'unit-test-table': { Keys: [customerKey(ids[0]!)] } },
      })
      .resolvesOnce({ Responses: { 'unit-test-table': [items[0]!] } });
    const page = await listCustomer(store, listSettings, { name: ['x'] }, context);
    expect(page.customers.map((c: Record<string, unknown>) => c.id)).toEqual(ids);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });
});
