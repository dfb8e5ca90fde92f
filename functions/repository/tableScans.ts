/**
 * Reading the whole table: parallel Scans, page by page (of the list index for customers, of the
 * table itself for maintenance, projected to keys and counts for the recount).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredCustomer } from '../domain/ports.js';
import { counterPartition, customerKey, customerTable, fromCustomerItem, isCustomerItem } from './customerTable.js';
import type { Table } from './table.js';

/** What the kept counts are made of, one scanned page at a time. */
export interface CountSourcePage {
  /** The lookup entries of each customer item on the page (one list per customer). */
  readonly customerLookups: string[][];
  /** The counter items on the page (shards and import batches), by the scope they count. */
  readonly shards: { readonly scope: string; readonly sk: string; readonly count: number }[];
}

export function fromListIndexItem(item: Record<string, unknown>): StoredCustomer {
  return fromCustomerItem({ ...item, sk: customerKey('').sk });
}

/** Which attributes a scan reads, and which items it keeps (DynamoDB expressions). */
export interface ScanShape {
  /** A secondary index to scan instead of the table. */
  readonly index?: string;
  readonly projection?: string;
  readonly filter?: string;
  readonly names?: Record<string, string>;
  readonly values?: Record<string, unknown>;
  /** Items per page: smaller pages keep each call short on a slow engine (and check deadlines often). */
  readonly limit?: number;
  /**
   * How long one page may take: longer than an API call's 2.5 s, because a full read of a large
   * table is bounded by the request's deadline and budget, not by one slow page.
   */
  readonly pageTimeoutMs?: number;
}

/**
 * The table read by a parallel Scan in segments, page after page to the end (a page cut by
 * DynamoDB's 1 MB limit just continues). A page whose handler fails stops the other segments at
 * their next page.
 */
export async function scanSegments(
  table: Table,
  shape: ScanShape,
  segments: number,
  onItems: (items: Record<string, unknown>[]) => Promise<void> | void,
): Promise<void> {
  let stopped = false;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        if (stopped) return;
        const page = await table.documentClient.send(
          new ScanCommand({
            TableName: table.tableName,
            IndexName: shape.index,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: shape.projection,
            FilterExpression: shape.filter,
            ExpressionAttributeNames: shape.names,
            ExpressionAttributeValues: shape.values,
            Limit: shape.limit,
            ExclusiveStartKey: startKey,
          }),
          shape.pageTimeoutMs ? { requestTimeout: shape.pageTimeoutMs } : {},
        );
        try {
          await onItems(page.Items ?? []);
        } catch (error) {
          stopped = true;
          throw error;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
}

/** Every customer in the table, page by page, by a parallel Scan of the list index (customer items only). */
export async function forEachCustomer(
  table: Table,
  onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  segments = 4,
): Promise<void> {
  await scanSegments(
    table,
    { index: customerTable.indexes.byListShard.indexName, limit: 500, pageTimeoutMs: 10_000 },
    segments,
    (items) => onCustomers(items.map(fromListIndexItem)),
  );
}

/**
 * Every customer item in the table itself, page by page (a parallel Scan that also reads, and
 * skips, lookup items and counters): for maintenance that must see items the list index may not
 * hold yet, such as items written before it existed.
 */
export async function forEachStoredCustomer(
  table: Table,
  onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
  segments = 4,
): Promise<void> {
  await scanSegments(
    table,
    { filter: 'sk = :customer', values: { ':customer': customerKey('').sk } },
    segments,
    async (items) => {
      const customers = items.filter(isCustomerItem);
      if (customers.length > 0) await onCustomers(customers.map(fromCustomerItem));
    },
  );
}

/**
 * Every customer's lookup entries and every counter shard, by a parallel Scan that reads only
 * keys, lookups and counts (never the documents): what a recount compares.
 */
export async function forEachCountSource(
  table: Table,
  onPage: (page: CountSourcePage) => void,
  segments = 8,
): Promise<void> {
  const counterPrefix = counterPartition('');
  const customerSk = customerKey('').sk;
  await scanSegments(
    table,
    { projection: 'pk, sk, lookups, #count', names: { '#count': 'count' } },
    segments,
    (items) => {
      const page: CountSourcePage = { customerLookups: [], shards: [] };
      for (const item of items) {
        if (item.sk === customerSk) {
          page.customerLookups.push(Array.isArray(item.lookups) ? (item.lookups as string[]) : []);
        } else if (typeof item.pk === 'string' && item.pk.startsWith(counterPrefix)) {
          page.shards.push({
            scope: item.pk.slice(counterPrefix.length),
            sk: String(item.sk),
            count: typeof item.count === 'number' ? item.count : 0,
          });
        }
      }
      onPage(page);
    },
  );
}
