import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BUILT_IN_LOOKUP_ATTRIBUTES } from '../domain/lookupAttributes.js';
import { BatchWriter, type WriteRequest } from '../repository/batchWriter.js';
import { dynamoCustomerStore } from '../repository/customerRepository.js';
import { CustomerImportWriter } from '../repository/customerImportWriter.js';
import { customerKey, isWrittenByImport, toCustomerItem } from '../repository/customerTable.js';
import { derivedId, importChunk } from './importCustomers.js';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const party = { '@referredType': 'Organization', id: '7' };
/** The table the store reads stored versions from (BatchGetItem, scripted below). */
const TABLE = 'unit-test-table';
const store = dynamoCustomerStore(
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }),
  ),
  { tableName: TABLE, lookupAttributes: BUILT_IN_LOOKUP_ATTRIBUTES },
);

/** An import writer whose BatchWriteItem calls are recorded instead of sent. */
function recordingWriter() {
  const batches: WriteRequest[][] = [];
  const batchWriter = new BatchWriter({ tableName: TABLE, send: async (requests) => (batches.push(requests), []) });
  return { writer: new CustomerImportWriter(store, batchWriter), batches };
}

describe('derivedId', () => {
  it('is ULID-shaped and depends only on the record', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const id = derivedId({ name: a });
        expect(id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
        expect(derivedId({ name: a })).toBe(id);
        if (a !== b) expect(derivedId({ name: b })).not.toBe(id);
      }),
    );
  });
});

describe('importChunk', () => {
  it('writes lookup items before customer items, marks them as imported and keeps legacy ids', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const { writer, batches } = recordingWriter();
    const result = await importChunk(
      [
        { line: 1, record: { id: 'LEGACY-1', href: 'https://old/x', name: 'Ann', engagedParty: party } },
        { line: 2, parseError: 'The record is not valid JSON' },
      ],
      { writer },
    );
    expect(result.counts).toMatchObject({ read: 2, imported: 1, rejected: 1 });
    expect(result.rejects).toEqual([expect.objectContaining({ line: 2, code: 'INVALID_BODY' })]);
    const [lookups, customers] = batches;
    expect(lookups?.every((r) => 'PutRequest' in r && String(r.PutRequest.Item.sk).startsWith('LOOKUP#'))).toBe(true);
    const item = (customers?.[0] as { PutRequest: { Item: Record<string, unknown> } }).PutRequest.Item;
    expect(item).toMatchObject({ ...customerKey('LEGACY-1'), version: 1 });
    expect(isWrittenByImport(item)).toBe(true);
    expect(JSON.parse(item.doc as string)).toEqual({
      id: 'LEGACY-1',
      name: 'Ann',
      engagedParty: party,
      '@type': 'Customer',
    });
  });

  it('skips an unchanged record, and replaces a changed one as the next version, deleting stale lookups', async () => {
    const same = { id: 'A', name: 'Same', engagedParty: party, '@type': 'Customer' };
    const old = { id: 'B', name: 'Old name', engagedParty: party, '@type': 'Customer' };
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          toCustomerItem(same, 3, ['engagedParty.id=7', 'name=Same']),
          toCustomerItem(old, 5, ['engagedParty.id=7', 'name=Old name']),
        ],
      },
    });
    const { writer, batches } = recordingWriter();
    const result = await importChunk(
      [
        { line: 1, record: same },
        { line: 2, record: { ...old, name: 'New name' } },
      ],
      { writer, notify: true },
    );
    expect(result.counts).toMatchObject({ unchanged: 1, replaced: 1 });
    expect(batches[0]).toEqual(
      expect.arrayContaining([
        { PutRequest: { Item: expect.objectContaining({ lookupKey: 'name=New name' }) } },
        { DeleteRequest: { Key: { pk: 'CUSTOMER#B', sk: 'LOOKUP#name=Old name' } } },
      ]),
    );
    const item = (batches[1]?.[0] as { PutRequest: { Item: Record<string, unknown> } }).PutRequest.Item;
    expect(item.version).toBe(6);
    expect(isWrittenByImport(item)).toBe(false); // --notify: the stream publisher announces it
  });

  it('counts what it wrote: a new customer in all and its values, a replaced one by the values it gained and lost', async () => {
    const old = { id: 'B', name: 'Old name', engagedParty: party, '@type': 'Customer' };
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [toCustomerItem(old, 5, ['engagedParty.id=7', 'name=Old name'])] },
    });
    const { writer, batches } = recordingWriter();
    await importChunk(
      [
        { line: 1, record: { id: 'A', name: 'Ann', engagedParty: party } },
        { line: 2, record: { ...old, name: 'New name' } },
        { line: 3, record: { id: 'C', name: 'Ann', engagedParty: party } },
      ],
      { writer },
    );
    const counters = batches
      .flat()
      .flatMap((r) => ('PutRequest' in r ? [r.PutRequest.Item] : []))
      .filter((item) => String(item.pk).startsWith('COUNT#'));
    const byScope = Object.fromEntries(counters.map((item) => [String(item.pk).slice('COUNT#'.length), item.count]));
    expect(byScope).toEqual({ all: 2, 'engagedParty.id=7': 2, 'name=Ann': 2, 'name=New name': 1, 'name=Old name': -1 });
    // One key for the whole round, of the import kind, so no round overwrites another's share.
    expect(new Set(counters.map((item) => item.sk)).size).toBe(1);
    expect(String(counters[0]?.sk)).toMatch(/^IMPORT#/);
  });

  it('writes no counter items when nothing changed', async () => {
    const same = { id: 'A', name: 'Same', engagedParty: party, '@type': 'Customer' };
    ddb
      .on(BatchGetCommand)
      .resolves({ Responses: { [TABLE]: [toCustomerItem(same, 3, ['engagedParty.id=7', 'name=Same'])] } });
    const { writer, batches } = recordingWriter();
    await importChunk([{ line: 1, record: same }], { writer });
    expect(batches.flat()).toEqual([]);
  });
});
