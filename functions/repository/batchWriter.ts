/**
 * Parallel BatchWriteItem for bulk jobs (import, recount): 25 requests a call, unprocessed items
 * retried with exponential backoff and jitter, and a concurrency that adapts to throttling
 * (halved when DynamoDB pushes back, grown by one after each clean call), so a bulk load runs as
 * fast as the table's capacity allows and no faster.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit, { type LimitFunction } from 'p-limit';
import { backoffDelay, pause } from '../backoff.js';
import { StoreUnavailableError } from '../domain/ports.js';

export type WriteRequest =
  | { readonly PutRequest: { readonly Item: Record<string, unknown> } }
  | { readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

/** DynamoDB's limit per BatchWriteItem call. */
export const BATCH_WRITE_MAX = 25;
const MAX_ATTEMPTS = 10;

export interface BatchWriterOptions {
  readonly tableName: string;
  /** The client the calls go through (unless `send` replaces them). */
  readonly documentClient?: DynamoDBDocumentClient;
  /** Calls in flight at most (the adaptive limit never exceeds it). */
  readonly maxConcurrency?: number;
  /** Sends one BatchWriteItem; tests replace it. */
  readonly send?: (requests: WriteRequest[]) => Promise<WriteRequest[]>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface BatchWriterStats {
  calls: number;
  retries: number;
  throttled: number;
}

export class BatchWriter {
  private readonly maxConcurrency: number;
  /** Calls in flight, through p-limit; its limit adapts (AIMD) to throttling. */
  private readonly limit: LimitFunction;
  private readonly send: (requests: WriteRequest[]) => Promise<WriteRequest[]>;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly stats: BatchWriterStats = { calls: 0, retries: 0, throttled: 0 };

  constructor(options: BatchWriterOptions) {
    this.maxConcurrency = options.maxConcurrency ?? 16;
    this.limit = pLimit(this.maxConcurrency);
    this.sleep = options.sleep ?? ((ms) => pause(ms));
    this.send =
      options.send ??
      (async (requests) => {
        if (!options.documentClient) throw new TypeError('BatchWriter needs a documentClient or a send');
        const output: BatchWriteCommandOutput = await options.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [options.tableName]: requests as WriteRequest[] } }),
        );
        return (output.UnprocessedItems?.[options.tableName] ?? []) as WriteRequest[];
      });
  }

  /** The concurrency currently allowed (for progress reports and tests). */
  get currentConcurrency(): number {
    return this.limit.concurrency;
  }

  /** Writes every request (in calls of 25, in parallel); resolves once DynamoDB has them all. */
  async write(requests: readonly WriteRequest[]): Promise<void> {
    const calls: Promise<void>[] = [];
    for (let start = 0; start < requests.length; start += BATCH_WRITE_MAX) {
      calls.push(this.writeCall(requests.slice(start, start + BATCH_WRITE_MAX)));
    }
    await Promise.all(calls);
  }

  private async writeCall(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    /** Why the last attempt did not finish: the engine's own words, or undefined for unprocessed items (throttling). */
    let lastFailure: string | undefined;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) {
        throw new StoreUnavailableError(
          lastFailure === undefined || /throttl|throughput/i.test(lastFailure)
            ? `DynamoDB left ${pending.length} writes unprocessed after ${MAX_ATTEMPTS} attempts; the table is throttling${lastFailure ? ` (${lastFailure})` : ''}`
            : `DynamoDB could not take ${pending.length} writes in ${MAX_ATTEMPTS} attempts: the store is unreachable or failing (${lastFailure})`,
        );
      }
      if (attempt > 0) {
        this.stats.retries += 1;
        await this.sleep(backoffDelay(attempt, { baseMs: 50, capMs: 5_000, jitter: true }));
      }
      const sending = pending;
      const unprocessed = await this.limit(async () => {
        try {
          this.stats.calls += 1;
          const left = await this.send(sending);
          lastFailure = undefined;
          return left;
        } catch (error) {
          if (!(error instanceof StoreUnavailableError)) throw error;
          // Unavailable past the SDK's retries (throttled, or the engine away): back off and try again.
          lastFailure = causeOf(error);
          return sending;
        }
      });
      if (unprocessed.length > 0) this.throttled();
      else this.succeeded();
      pending = unprocessed;
    }
  }

  private throttled(): void {
    this.stats.throttled += 1;
    this.limit.concurrency = Math.max(1, Math.floor(this.limit.concurrency / 2));
  }

  private succeeded(): void {
    this.limit.concurrency = Math.min(this.maxConcurrency, this.limit.concurrency + 1);
  }
}

/** What the store said, as far down the cause chain as it goes (a refused connection, a reset). */
function causeOf(error: Error): string {
  let deepest: Error = error;
  while (deepest.cause instanceof Error) deepest = deepest.cause;
  const code = (deepest as Error & { code?: string }).code;
  return `${deepest.name}${code ? ` ${code}` : ''}: ${deepest.message}`.slice(0, 200);
}
