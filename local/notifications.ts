/**
 * Notifications on the local server, through the same code the Lambdas run: a reader of the
 * table's own DynamoDB stream feeds publishRecords(); deliveries wait in the table (instead of
 * SQS) and a worker delivers them with the same retry policy, in order per subscriber and
 * customer. Stream positions are kept in DATA_DIR, so a restart resumes where reading stopped,
 * and a delivery is only dropped from the queue once delivered or moved to the dead letters.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { backoffDelay, pause } from '../functions/backoff.js';
import { join } from 'node:path';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { DEAD_LETTER_PARTITION, DELIVERY_PARTITION } from '../functions/repository/customerTable.js';
import type { SubscriptionStore } from '../functions/domain/ports.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  cachedSubscriptions,
  deliver,
  orderingGroupOf,
  retryDelaySeconds,
  type Delivery,
} from '../functions/notifications/delivery.js';
import { publishRecords, type StreamRecord } from '../functions/notifications/publish.js';
import { streamArnOf } from './engine.js';

export interface LocalNotifierOptions {
  /** Where hub subscriptions are read (the server's store). */
  readonly subscriptionStore: SubscriptionStore;
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  readonly dataDir: string;
  /** Base URL of the local API, for hrefs in events. */
  readonly baseUrl: string;
  /** Seconds per retry step; 1 = as deployed. Tests shorten it. */
  readonly retryScale?: number;
}

export interface DeadLetter {
  readonly delivery: Delivery;
  readonly attempts: number;
  readonly lastError: string;
  readonly failedAt: string;
}

const POLL_MS = 200;
const MAX_BACKOFF_MS = 5000;
/** Monotonic even within one millisecond, so a group's deliveries keep the order they were queued in. */
const nextId = monotonicFactory();

export class LocalNotifier {
  private readonly documents: DynamoDBDocumentClient;
  private readonly streams: DynamoDBStreamsClient;
  private readonly checkpointFile: string;
  private checkpoints: Record<string, string>;
  private running = false;
  private loops: Promise<void>[] = [];
  /** Where the deliverer reads each subscription's secret (briefly cached, as the Lambda does). */
  private readonly subscriptions: ReturnType<typeof cachedSubscriptions>;

  constructor(private readonly options: LocalNotifierOptions) {
    this.subscriptions = cachedSubscriptions((id) => options.subscriptionStore.findSubscription(id), 1000);
    this.documents = DynamoDBDocumentClient.from(options.client);
    const { region, credentials } = options.client.config;
    this.streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region, credentials });
    this.checkpointFile = join(options.dataDir, 'stream-checkpoints.json');
    this.checkpoints = existsSync(this.checkpointFile)
      ? (JSON.parse(readFileSync(this.checkpointFile, 'utf8')) as Record<string, string>)
      : {};
  }

  start(): void {
    this.running = true;
    this.loops = [this.loop(() => this.readStream()), this.loop(() => this.deliverDue())];
  }

  /** Stops after the current pass: nothing half-done is left behind. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.streams.destroy();
  }

  /**
   * Runs a pass every POLL_MS. While passes fail (the engine is away), waits grow to
   * MAX_BACKOFF_MS and the failure is logged once, and its end once, not several times a second.
   */
  private async loop(pass: () => Promise<void>): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await pass();
        if (failures > 0) console.error('local notifications: resumed');
        failures = 0;
      } catch (error) {
        failures += 1;
        if (this.running && failures === 1) {
          console.error(`local notifications: ${(error as Error).message}; retrying with backoff`);
        }
      }
      const wait = failures === 0 ? POLL_MS : backoffDelay(failures, { baseMs: POLL_MS, capMs: MAX_BACKOFF_MS });
      if (this.running) await pause(wait);
    }
  }

  private saveCheckpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    writeFileSync(this.checkpointFile, JSON.stringify(this.checkpoints));
  }

  /** Reads every shard from its checkpoint to its end, publishing as it goes. */
  private async readStream(): Promise<void> {
    const streamArn = await streamArnOf(this.options.client, this.options.tableName);
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const shard of shards) {
      if (!shard.ShardId || !this.running) continue;
      const checkpoint = this.checkpoints[shard.ShardId];
      let { ShardIterator: iterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: checkpoint ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          ...(checkpoint ? { SequenceNumber: checkpoint } : {}),
        }),
      );
      while (iterator && this.running) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
        const records = (page.Records ?? []) as StreamRecord[];
        if (records.length === 0) break;
        await publishRecords(records, { baseUrl: this.options.baseUrl }, this.options.subscriptionStore, {
          publish: async () => undefined,
          enqueue: (d) => this.enqueue(d),
        });
        const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
        if (last) this.saveCheckpoint(shard.ShardId, last);
        iterator = page.NextShardIterator;
      }
    }
  }

  /** Queues deliveries in the table, keyed by ordering group then arrival. */
  private async enqueue(deliveries: readonly Delivery[]): Promise<void> {
    for (const delivery of deliveries) {
      await this.documents.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: DELIVERY_PARTITION,
            sk: `${orderingGroupOf(delivery)}#${nextId()}`,
            delivery: JSON.stringify(delivery),
            attempts: 0,
            dueAt: Date.now(),
          },
        }),
      );
    }
  }

  private async queued(partition: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Delivers what is due, oldest first in each ordering group; a failure holds its group back. */
  private async deliverDue(): Promise<void> {
    const items = await this.queued(DELIVERY_PARTITION);
    const groups = new Map<string, Record<string, unknown>[]>();
    for (const item of items) {
      const group = String(item.sk).slice(0, String(item.sk).lastIndexOf('#'));
      groups.set(group, [...(groups.get(group) ?? []), item]);
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const item of group.sort((a, b) => String(a.sk).localeCompare(String(b.sk)))) {
          if (!this.running || Number(item.dueAt) > Date.now()) return;
          const delivery = JSON.parse(String(item.delivery)) as Delivery;
          const attempts = Number(item.attempts) + 1;
          try {
            await deliver(delivery, true, this.subscriptions);
          } catch (error) {
            await this.failed(item, delivery, attempts, (error as Error).message);
            return; // later events of this group wait for this one
          }
          await this.documents.send(
            new DeleteCommand({ TableName: this.options.tableName, Key: { pk: item.pk, sk: item.sk } }),
          );
        }
      }),
    );
  }

  private async failed(
    item: Record<string, unknown>,
    delivery: Delivery,
    attempts: number,
    lastError: string,
  ): Promise<void> {
    const key = { pk: item.pk, sk: item.sk };
    if (attempts >= MAX_DELIVERY_ATTEMPTS) {
      const deadLetter: DeadLetter = { delivery, attempts, lastError, failedAt: new Date().toISOString() };
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.options.tableName,
                Item: { pk: DEAD_LETTER_PARTITION, sk: String(item.sk), deadLetter: JSON.stringify(deadLetter) },
              },
            },
            { Delete: { TableName: this.options.tableName, Key: key } },
          ],
        }),
      );
      return;
    }
    const delayMs = retryDelaySeconds(attempts) * 1000 * (this.options.retryScale ?? 1);
    await this.documents.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: key,
        UpdateExpression: 'SET attempts = :attempts, dueAt = :dueAt, lastError = :error',
        ExpressionAttributeValues: { ':attempts': attempts, ':dueAt': Date.now() + delayMs, ':error': lastError },
      }),
    );
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.queued(DEAD_LETTER_PARTITION)).map((item) => JSON.parse(String(item.deadLetter)) as DeadLetter);
  }
}
