/**
 * What one request read from DynamoDB: items and consumed read capacity, summed over every call
 * made while handling it. Collected by a client middleware into the request's async context, so
 * concurrent requests in one process (the local server) do not mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadStats {
  itemsRead: number;
  /** Customers a list examined against its filter (items read per customer examined shows waste). */
  customersExamined: number;
  readCapacity: number;
  writeCapacity: number;
  calls: number;
}

const storage = new AsyncLocalStorage<ReadStats>();

export function withReadStats<T>(run: () => Promise<T>): Promise<{ result: T; stats: ReadStats }> {
  const stats: ReadStats = { itemsRead: 0, customersExamined: 0, readCapacity: 0, writeCapacity: 0, calls: 0 };
  return storage.run(stats, async () => ({ result: await run(), stats }));
}

export function currentReadStats(): ReadStats | undefined {
  return storage.getStore();
}

/** Counts customers a list examined, when stats are collected. */
export function countExamined(customers: number): void {
  const stats = storage.getStore();
  if (stats) stats.customersExamined += customers;
}

type CapacityEntry = { CapacityUnits?: number };

/** Adds one DynamoDB response (low-level shape) to the current request's stats. */
export function recordResponse(output: Record<string, unknown>, isWrite: boolean): void {
  const stats = storage.getStore();
  if (!stats) return;
  stats.calls += 1;
  if (typeof output.ScannedCount === 'number') stats.itemsRead += output.ScannedCount;
  else if (output.Item) stats.itemsRead += 1;
  else if (output.Responses && typeof output.Responses === 'object' && !Array.isArray(output.Responses)) {
    for (const items of Object.values(output.Responses as Record<string, unknown[]>)) stats.itemsRead += items.length;
  }
  const consumed = output.ConsumedCapacity as CapacityEntry | CapacityEntry[] | undefined;
  for (const entry of [consumed ?? []].flat()) {
    if (isWrite) stats.writeCapacity += entry.CapacityUnits ?? 0;
    else stats.readCapacity += entry.CapacityUnits ?? 0;
  }
}
