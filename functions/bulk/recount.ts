/**
 * Recomputes every kept count (all customers, and customers per indexed value) from the customer
 * items themselves, and repairs the counter shards that disagree. Used at the end of a bulk
 * import (which does not count as it writes) and by `npm run recount` at any time.
 *
 * It never overwrites a count: it ADDs the difference between what it counted and what the
 * shards held, so a create or delete that lands on a shard meanwhile is kept. A write that races
 * the scan itself can still leave a count off by the writes in that window; each pass repairs
 * what the previous one could not see, and passes repeat (at most `maxPasses`) until one finds
 * nothing to correct.
 */
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../repository/dynamo.js';
import { ALL_CUSTOMERS, counterKey, counterPartition, customerKey } from '../repository/customerTable.js';

export interface RecountOptions {
  readonly tableName: string;
  readonly segments?: number;
  readonly maxPasses?: number;
  /** Called with the items scanned so far in the current pass. */
  readonly onProgress?: (scanned: number, pass: number) => void;
}

export interface RecountSummary {
  /** Customers counted in the last pass. */
  readonly customers: number;
  /** Distinct counts checked (all, and one per indexed value). */
  readonly scopes: number;
  /** Counts corrected, over all passes. */
  readonly corrected: number;
  readonly passes: number;
}

const COUNTER_PREFIX = counterPartition('');
const CUSTOMER_SK = customerKey('').sk;

/** One parallel scan: what the customer items say, and what the counter shards hold. */
async function tally(options: RecountOptions, pass: number) {
  const truth = new Map<string, number>([[ALL_CUSTOMERS, 0]]);
  const held = new Map<string, number>();
  const segments = options.segments ?? 4;
  let scanned = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new ScanCommand({
            TableName: options.tableName,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: 'pk, sk, lookups, #count',
            ExpressionAttributeNames: { '#count': 'count' },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.sk === CUSTOMER_SK) {
            truth.set(ALL_CUSTOMERS, (truth.get(ALL_CUSTOMERS) ?? 0) + 1);
            for (const entry of Array.isArray(item.lookups) ? (item.lookups as string[]) : []) {
              truth.set(entry, (truth.get(entry) ?? 0) + 1);
            }
          } else if (typeof item.pk === 'string' && item.pk.startsWith(COUNTER_PREFIX)) {
            const scope = item.pk.slice(COUNTER_PREFIX.length);
            held.set(scope, (held.get(scope) ?? 0) + (typeof item.count === 'number' ? item.count : 0));
          }
        }
        scanned += page.Items?.length ?? 0;
        options.onProgress?.(scanned, pass);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  return { truth, held };
}

/** The shards' current sum, read consistently just before correcting (the scan saw an older one). */
async function currentCount(tableName: string, scope: string): Promise<number> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': counterPartition(scope) },
      ConsistentRead: true,
    }),
  );
  return Items.reduce((sum, item) => sum + (typeof item.count === 'number' ? item.count : 0), 0);
}

export async function recountCustomers(options: RecountOptions): Promise<RecountSummary> {
  const maxPasses = options.maxPasses ?? 3;
  let corrected = 0;
  let customers = 0;
  let scopes = 0;
  let pass = 1;
  for (; pass <= maxPasses; pass++) {
    const { truth, held } = await tally(options, pass);
    customers = truth.get(ALL_CUSTOMERS) ?? 0;
    const allScopes = new Set([...truth.keys(), ...held.keys()]);
    scopes = allScopes.size;
    const suspects = [...allScopes].filter((scope) => (truth.get(scope) ?? 0) !== (held.get(scope) ?? 0));
    let correctedThisPass = 0;
    const queue = [...suspects];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let scope = queue.pop(); scope !== undefined; scope = queue.pop()) {
          const delta = (truth.get(scope) ?? 0) - (await currentCount(options.tableName, scope));
          if (delta === 0) continue;
          await documentClient.send(
            new UpdateCommand({
              TableName: options.tableName,
              Key: counterKey(scope, 0),
              UpdateExpression: 'ADD #count :delta',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':delta': delta },
            }),
          );
          correctedThisPass += 1;
        }
      }),
    );
    corrected += correctedThisPass;
    if (correctedThisPass === 0) break;
  }
  return { customers, scopes, corrected, passes: Math.min(pass, maxPasses) };
}
