import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PayloadTooLargeError } from '../errors.js';
import { customerKey, toCustomerItem } from '../repository/customerTable.js';
import { createCustomer, deleteCustomer, listCustomer, patchCustomer, retrieveCustomer } from './customer.js';

const ddb = mockClient(DynamoDBDocumentClient);
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
  );

beforeEach(() => ddb.reset());

describe('createCustomer', () => {
  it('writes the customer and a counter shard in one transaction, refusing to overwrite', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const { customer, etag } = await createCustomer(
      { name: 'Moon', engagedParty: { id: '500', '@referredType': 'Organization' } },
      context,
    );
    expect(customer).toMatchObject({ name: 'Moon', '@type': 'Customer' });
    expect(customer.href).toBe(`${context.baseUrl}/customer/${customer.id}`);
    expect(etag).toBe('"1"');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const [put, counter] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(put?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put?.Put?.Item).toMatchObject({ ...customerKey(customer.id), version: 1, nameKey: 'N#Moon' });
    expect(JSON.parse(put?.Put?.Item?.doc as string)).not.toHaveProperty('href');
    expect(counter?.Update?.ExpressionAttributeValues).toEqual({ ':delta': 1 });
  });

  it('refuses a customer too large for one item without calling DynamoDB', async () => {
    await expect(
      createCustomer(
        { name: 'x'.repeat(500_000), engagedParty: { id: '1', '@referredType': 'Organization' } },
        context,
      ),
    ).rejects.toThrow(PayloadTooLargeError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('retrieveCustomer', () => {
  it('does not ask DynamoDB for an id that is not a ULID', async () => {
    await expect(retrieveCustomer('c2df1950-c17c-4576-9c22-e59073a4a86a', {}, context)).rejects.toThrow(NotFoundError);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('reads with a consistent GetItem and answers the stored version as ETag', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(3) });
    const { customer, etag } = await retrieveCustomer(ID, {}, context);
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
      .resolvesOnce({ Item: stored(2, { status: 'Approved' }) });
    ddb
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }))
      .resolves({});
    const { customer, etag } = await patchCustomer(ID, { name: 'Sun' }, context);
    expect(customer).toMatchObject({ name: 'Sun', status: 'Approved' });
    expect(etag).toBe('"3"');
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.ExpressionAttributeValues)).toEqual([{ ':expected': 1 }, { ':expected': 2 }]);
    expect(puts[1]?.Item).toMatchObject({ version: 3, nameKey: 'N#Sun' });
  });

  it('gives up with 409 when every attempt finds a newer version', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(1) });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));
    await expect(patchCustomer(ID, { name: 'Sun' }, context)).rejects.toThrow(ConflictError);
    expect(ddb.commandCalls(PutCommand).length).toBeGreaterThan(1);
  });

  it('answers 404 when the customer is gone', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(patchCustomer(ID, { name: 'Sun' }, context)).rejects.toThrow(NotFoundError);
  });
});

describe('deleteCustomer', () => {
  it('deletes and uncounts in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await deleteCustomer(ID);
    const [remove, counter] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(remove?.Delete).toMatchObject({ Key: customerKey(ID), ConditionExpression: 'attribute_exists(pk)' });
    expect(counter?.Update?.ExpressionAttributeValues).toEqual({ ':delta': -1 });
  });

  it('answers 404 when the condition finds no customer', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await expect(deleteCustomer(ID)).rejects.toThrow(NotFoundError);
  });
});

describe('listCustomer', () => {
  it('counts from the counter shards and reads only offset+limit index keys', async () => {
    const ids = ['01ARZ3NDEKTSV4RRFFQ69G5FA1', '01ARZ3NDEKTSV4RRFFQ69G5FA2', '01ARZ3NDEKTSV4RRFFQ69G5FA3'];
    ddb.on(QueryCommand, { IndexName: undefined }).resolves({ Items: [{ count: 40 }, { count: 2 }] });
    ddb.on(QueryCommand, { IndexName: 'byCreation' }).resolves({ Items: ids.map((id) => ({ id })) });
    ddb.on(BatchGetCommand).resolves({
      Responses: { 'unit-test-table': ids.slice(1).map((id) => toCustomerItem({ id, name: id, engagedParty: {} }, 1)) },
    });
    const page = await listCustomer({ offset: ['1'], limit: ['2'] }, context);
    expect(page.totalCount).toBe(42);
    expect(page.customers.map((c) => c.id)).toEqual(ids.slice(1));
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byCreation', Limit: 3 });
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['unit-test-table']?.Keys).toEqual(
      ids.slice(1).map((id) => customerKey(id)),
    );
  });

  it('retries keys BatchGetItem left unprocessed', async () => {
    const ids = ['01ARZ3NDEKTSV4RRFFQ69G5FA1', '01ARZ3NDEKTSV4RRFFQ69G5FA2'];
    const items = ids.map((id) => toCustomerItem({ id, name: id, engagedParty: {} }, 1));
    ddb.on(QueryCommand, { IndexName: 'byName' }).resolves({ Items: ids.map((id) => ({ id })) });
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { 'unit-test-table': [items[1]!] },
        UnprocessedKeys: { 'unit-test-table': { Keys: [customerKey(ids[0]!)] } },
      })
      .resolvesOnce({ Responses: { 'unit-test-table': [items[0]!] } });
    const page = await listCustomer({ name: ['x'] }, context);
    expect(page.customers.map((c) => c.id)).toEqual(ids);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });
});
