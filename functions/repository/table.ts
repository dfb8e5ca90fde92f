/**
 * The customer table as the repository's modules share it: the client and the table name, and
 * the transaction every multi-item write goes through (retried, with jitter, when it lost a race
 * on a shared item such as a counter shard).
 */
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { backoffDelay, pause } from '../backoff.js';
import { StoreUnavailableError } from '../domain/ports.js';
import { COUNTER_SHARDS, counterKey } from './customerTable.js';

export interface Table {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

const TRANSACTION_ATTEMPTS = 6;

/** `f` with the table bound: how the store exposes the table-level operations of its modules. */
export function on<A extends unknown[], R>(table: Table, f: (table: Table, ...args: A) => R): (...args: A) => R {
  return (...args) => f(table, ...args);
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function counterUpdate(table: Table, scope: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: table.tableName,
      Key: counterKey(scope, Math.floor(Math.random() * COUNTER_SHARDS)),
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/**
 * Runs a transaction, retrying (with jitter) when it lost a race on a shared item such as a
 * counter shard. Fails with the cancellation when a condition of the caller's failed.
 */
export async function transact(table: Table, items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await table.documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      const retryable = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError');
      const conditionFailed = reasons.some((r) => r.Code === 'ConditionalCheckFailed');
      if (!retryable || conditionFailed) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) throw new StoreUnavailableError('The customer store is busy; retry shortly');
      await pause(backoffDelay(attempt, { baseMs: 20, capMs: 20 * 2 ** TRANSACTION_ATTEMPTS, jitter: true }));
    }
  }
}

export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
  );
}
