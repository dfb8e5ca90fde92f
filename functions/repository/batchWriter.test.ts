import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../domain/ports.js';
import { BatchWriter, type WriteRequest } from './batchWriter.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }),
);
beforeEach(() => ddb.reset());

const put = (n: number): WriteRequest => ({ PutRequest: { Item: { pk: `P#${n}`, sk: 'S' } } });
const noSleep = async () => undefined;

describe('BatchWriter', () => {
  it('sends calls of at most 25 to the table and retries what DynamoDB left unprocessed', async () => {
    let first = true;
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
      const requests = input.RequestItems.customers ?? [];
      expect(requests.length).toBeLessThanOrEqual(25);
      if (first) {
        first = false;
        return { UnprocessedItems: { customers: requests.slice(0, 3) } };
      }
      return { UnprocessedItems: {} };
    });
    const writer = new BatchWriter({ tableName: 'customers', documentClient: client, sleep: noSleep });
    await writer.write(Array.from({ length: 60 }, (_, i) => put(i)));
    const written = ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.customers ?? []);
    expect(written).toHaveLength(63); // 60, and the 3 unprocessed once more
    expect(writer.stats).toMatchObject({ calls: 4, retries: 1, throttled: 1 });
  });

  it('halves its concurrency when throttled and never runs more calls than allowed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 8 }), async (count, max) => {
        let inFlight = 0;
        let peak = 0;
        let calls = 0;
        const writer = new BatchWriter({
          tableName: 't',
          maxConcurrency: max,
          sleep: noSleep,
          send: async (requests) => {
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            await new Promise((r) => setImmediate(r));
            inFlight -= 1;
            calls += 1;
            return calls % 3 === 0 ? requests.slice(0, 1) : []; // every third call throttled a little
          },
        });
        const requests = Array.from({ length: count }, (_, i) => put(i));
        await writer.write(requests);
        expect(peak).toBeLessThanOrEqual(max);
        expect(writer.currentConcurrency).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('gives up with a 503-class error when the table keeps throttling', async () => {
    const writer = new BatchWriter({ tableName: 't', sleep: noSleep, send: async (requests) => requests });
    const failure = await writer.write([put(1)]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/the table is throttling/);
  });

  it('says the store is unreachable, with its own words, when the engine is gone (not "throttling")', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    const unavailable = new StoreUnavailableError(undefined, { cause: refused });
    const writer = new BatchWriter({
      tableName: 't',
      sleep: noSleep,
      send: async () => {
        throw unavailable;
      },
    });
    const failure = (await writer.write([put(1)]).catch((error: unknown) => error)) as Error;
    expect(failure.message).toMatch(/unreachable or failing \(Error ECONNREFUSED: connect ECONNREFUSED/);
    expect(failure.message).not.toMatch(/throttling/);
  });
});
