/**
 * Seeds a local table with synthetic customers, written exactly as the API writes them (the
 * table module's items, lookup items and counters), but in bulk: BatchWriteItem instead of one
 * transaction per customer, so that 100k customers take minutes, not an hour.
 */
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { ALL_CUSTOMERS, counterKey, lookupItem, toCustomerItem } from '../functions/repository/customerTable.js';
import { BUILT_IN_LOOKUP_ATTRIBUTES, lookupEntriesOf } from '../functions/domain/lookupAttributes.js';

export const STATUSES = ['Approved', 'Pending', 'Validated', 'Closed'];

/** Customer number i: unique name and email, engagedParty shared by 10, status shared by a quarter. */
export function syntheticCustomer(i: number): Record<string, unknown> {
  return {
    id: ulid(),
    name: `Customer ${i}`,
    status: STATUSES[i % STATUSES.length],
    engagedParty: {
      id: `party-${Math.floor(i / 10)}`,
      '@referredType': 'Organization',
      name: `Party ${Math.floor(i / 10)}`,
    },
    contactMedium: [
      { mediumType: 'email', preferred: true, characteristic: { emailAddress: `customer-${i}@example.com` } },
      {
        mediumType: 'postalAddress',
        characteristic: {
          city: ['Paris', 'Lyon', 'Nice', 'Lille'][i % 4],
          country: 'France',
          postCode: String(75000 + (i % 100)),
        },
      },
    ],
    characteristic: [{ name: 'segment', value: ['gold', 'silver', 'bronze'][i % 3] }],
    creditProfile: [
      {
        creditProfileDate: '2026-01-01T00:00:00Z',
        validFor: { startDateTime: '2026-01-01T00:00:00Z' },
        creditScore: (i * 37) % 1000,
      },
    ],
    '@type': 'Customer',
  };
}

async function writeAll(
  client: DynamoDBClient,
  tableName: string,
  requests: WriteRequest[],
  concurrency = 16,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let batch: WriteRequest[] | undefined = batches[next++];
        while (batch && batch.length > 0) {
          const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
          batch = result.UnprocessedItems?.[tableName];
        }
      }
    }),
  );
}

/** Adds customers number `from` to `to - 1`; returns their documents. */
export async function seed(
  client: DynamoDBClient,
  tableName: string,
  from: number,
  to: number,
  counts: Map<string, number>,
): Promise<Record<string, unknown>[]> {
  const docs = Array.from({ length: to - from }, (_, k) => syntheticCustomer(from + k));
  const requests: WriteRequest[] = [];
  for (const doc of docs) {
    const lookups = lookupEntriesOf(doc, BUILT_IN_LOOKUP_ATTRIBUTES);
    requests.push({ PutRequest: { Item: marshall(toCustomerItem(doc, 1, lookups)) } });
    for (const entry of lookups) {
      requests.push({ PutRequest: { Item: marshall(lookupItem(doc.id as string, entry)) } });
      counts.set(entry, (counts.get(entry) ?? 0) + 1);
    }
    counts.set(ALL_CUSTOMERS, (counts.get(ALL_CUSTOMERS) ?? 0) + 1);
  }
  await writeAll(client, tableName, requests);
  return docs;
}

/** Writes the counts kept so far (one shard per scope; the API adds to any shard). */
export async function writeCounts(
  client: DynamoDBClient,
  tableName: string,
  counts: Map<string, number>,
): Promise<void> {
  const requests: WriteRequest[] = [...counts].map(([scope, count]) => ({
    PutRequest: { Item: marshall({ ...counterKey(scope, 0), count }) },
  }));
  await writeAll(client, tableName, requests);
}
