/**
 * What `npm run reindex` writes: each customer's lookup entries (with their lookup items and
 * counts, conditional on the version read) and each configured attribute's backfill state.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { IndexStatus, StoredCustomer } from '../domain/ports.js';
import {
  INDEX_PARTITION,
  customerKey,
  indexStateKey,
  listShardOf,
  lookupItem,
  lookupItemKey,
} from './customerTable.js';
import { counterUpdate, isConditionFailure, transact, type Table, type TransactItem } from './table.js';

/** A customer's lookup entries as a reindex wants them, against the version it read. */
export interface LookupChange {
  readonly current: StoredCustomer;
  readonly lookups: readonly string[];
}

/** The status of each configured lookup attribute's backfill (`npm run reindex`), by attribute. */
export async function readIndexStates(table: Table): Promise<Map<string, IndexStatus>> {
  const { Items = [] } = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': INDEX_PARTITION },
      ConsistentRead: true,
    }),
  );
  return new Map(Items.map((item) => [item.sk as string, item.status as IndexStatus]));
}

/** DynamoDB's limit of items in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

export function lookupChangeItems(table: Table, change: LookupChange, deltas: Map<string, number>): TransactItem[] {
  const id = change.current.doc.id;
  const added = change.lookups.filter((entry) => !change.current.lookups.includes(entry));
  const removed = change.current.lookups.filter((entry) => !change.lookups.includes(entry));
  for (const entry of added) deltas.set(entry, (deltas.get(entry) ?? 0) + 1);
  for (const entry of removed) deltas.set(entry, (deltas.get(entry) ?? 0) - 1);
  return [
    {
      Update: {
        TableName: table.tableName,
        Key: customerKey(id),
        UpdateExpression: 'SET lookups = :lookups, listShard = :listShard',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: {
          ':lookups': [...change.lookups],
          ':listShard': listShardOf(id),
          ':expected': change.current.version,
        },
      },
    },
    ...added.map((entry): TransactItem => ({ Put: { TableName: table.tableName, Item: lookupItem(id, entry) } })),
    ...removed.map((entry): TransactItem => ({
      Delete: { TableName: table.tableName, Key: lookupItemKey(id, entry) },
    })),
  ];
}

/**
 * Writes the lookup entries (and list-index key) a reindex computed for each customer, with the
 * lookup items and counts they change, in transactions of several customers (their counter
 * changes summed), each customer conditional on the version that was read: so counts stay exact
 * while the API writes. Returns the ids whose version moved meanwhile (to read and redo).
 */
export async function applyLookupChanges(table: Table, changes: readonly LookupChange[]): Promise<string[]> {
  const stale: string[] = [];
  const groups: LookupChange[][] = [];
  let group: LookupChange[] = [];
  let size = 0;
  let scopes = new Set<string>();
  for (const change of changes) {
    const deltas = new Map<string, number>();
    const items = lookupChangeItems(table, change, deltas).length;
    const newScopes = [...deltas.keys()].filter((scope) => !scopes.has(scope));
    if (group.length > 0 && size + items + scopes.size + newScopes.length > MAX_TRANSACTION_ITEMS) {
      groups.push(group);
      group = [];
      size = 0;
      scopes = new Set();
    }
    group.push(change);
    size += items;
    for (const scope of deltas.keys()) scopes.add(scope);
  }
  if (group.length > 0) groups.push(group);

  const write = async (members: readonly LookupChange[]) => {
    const deltas = new Map<string, number>();
    const items = members.flatMap((change) => lookupChangeItems(table, change, deltas));
    const counters = [...deltas]
      .filter(([, delta]) => delta !== 0)
      .map(([scope, delta]) => counterUpdate(table, scope, delta));
    await transact(table, [...items, ...counters]);
  };
  for (const members of groups) {
    try {
      await write(members);
    } catch (error) {
      if (!isConditionFailure(error) && !(error instanceof TransactionCanceledException)) throw error;
      // Someone wrote one of them since it was read: redo the others one by one, report it.
      for (const change of members) {
        try {
          await write([change]);
        } catch (single) {
          if (!isConditionFailure(single)) throw single;
          stale.push(change.current.doc.id);
        }
      }
    }
  }
  return stale;
}

/** Records how far a configured lookup attribute's backfill is. */
export async function writeIndexState(table: Table, attribute: string, status: IndexStatus): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...indexStateKey(attribute), status, updatedAt: new Date().toISOString() },
    }),
  );
}

export async function deleteIndexState(table: Table, attribute: string): Promise<void> {
  await table.documentClient.send(new DeleteCommand({ TableName: table.tableName, Key: indexStateKey(attribute) }));
}
