/**
 * From table changes to notifications: turns stream records into TMF events, hands them to the
 * event bus, and queues one delivery per interested hub subscriber. The stream Lambda and the
 * local server's stream reader both run this, with their own bus and queue.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { eventsOf, subscriptionFilter, type CustomerChange, type CustomerEvent } from '../domain/events.js';
import type { AttributeTypes } from '../domain/attributes.js';
import type { StoredSubscription } from '../domain/ports.js';
import { v5Context, v5View } from '../domain/v5/v5View.js';
import { baseUrlOfVersion } from '../operations.js';
import type { ResourceContext } from '../domain/representation.js';
import type { SubscriptionStore } from '../domain/ports.js';
import { WRITTEN_IN, fromCustomerItem, isCustomerItem, isWrittenByImport } from '../repository/customerTable.js';
import type { Delivery } from './delivery.js';

/**
 * Multi-Region: every replica's stream carries every change, so each Region publishes only the
 * changes written in it (the version's WRITTEN_IN stamp; a delete by the version it removed, which
 * in active-passive mode is the active Region's). One delivery per change, whichever Region reads.
 */
export interface PublishOptions {
  /** This Region; unset in a single-Region deployment, where every change is published. */
  readonly region?: string;
}

function writtenHere(item: Record<string, unknown> | undefined, region: string | undefined): boolean {
  if (region === undefined) return true;
  const writtenIn = item?.[WRITTEN_IN];
  return typeof writtenIn !== 'string' || writtenIn === region;
}

/** A stream record, as Lambda passes it and as DynamoDB Streams' GetRecords returns it. */
export interface StreamRecord {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly ApproximateCreationDateTime?: number | Date;
    readonly NewImage?: Record<string, unknown>;
    readonly OldImage?: Record<string, unknown>;
    readonly SequenceNumber?: string;
  };
}

export interface NotificationSinks {
  /** Publishes events for other consumers (EventBridge in AWS). */
  publish(events: readonly CustomerEvent[]): Promise<void>;
  /** Queues deliveries durably (SQS FIFO in AWS; the table, locally). */
  enqueue(deliveries: readonly Delivery[]): Promise<void>;
}

/** The customer item of a stream image (unmarshalled once), or nothing for other items. */
function customerItemOf(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return isCustomerItem(item) ? item : undefined;
}

/**
 * The customer changes among stream records (lookup items, counters and subscriptions are
 * skipped, and so are customers a bulk import wrote without `--notify`).
 */
export function changesOf(records: readonly StreamRecord[], options: PublishOptions = {}): CustomerChange[] {
  return records.flatMap((record) => {
    const afterItem = customerItemOf(record.dynamodb?.NewImage);
    if (afterItem && isWrittenByImport(afterItem)) return [];
    const beforeItem = customerItemOf(record.dynamodb?.OldImage);
    if (!beforeItem && !afterItem) return [];
    if (!writtenHere(afterItem ?? beforeItem, options.region)) return [];
    const before = beforeItem && fromCustomerItem(beforeItem).doc;
    const after = afterItem && fromCustomerItem(afterItem).doc;
    const time = changeTime(beforeItem, afterItem);
    return [{ changeId: record.eventID ?? record.dynamodb?.SequenceNumber ?? String(Date.now()), time, before, after }];
  });
}

/**
 * When the change happened, to the millisecond: the time the write stamped on the new version.
 * A delete leaves no new version; it is dated when its stream record is read, never before the
 * version it removed (the stream's own timestamp has only second, locally minute, precision).
 */
function changeTime(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Date {
  const stamped = (item: Record<string, unknown> | undefined) => {
    const text = item?.changedAt;
    const time = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    return Number.isNaN(time) ? undefined : time;
  };
  const written = stamped(after);
  if (written !== undefined) return new Date(written);
  return new Date(Math.max(Date.now(), (stamped(before) ?? 0) + 1));
}

/** Publishes the events of a batch of stream records and queues their deliveries, in order. */
export async function publishRecords(
  records: readonly StreamRecord[],
  context: ResourceContext,
  subscriptionStore: SubscriptionStore,
  sinks: NotificationSinks,
  options: PublishOptions = {},
): Promise<number> {
  const changes = changesOf(records, options);
  if (changes.length === 0) return 0;
  const events = changes.flatMap((change) => eventsOf(change, context));
  if (events.length > 0) await sinks.publish(events);
  const subscriptions = await subscriptionStore.listSubscriptions();
  const deliveries: Delivery[] = [];
  const deliver = async (versionEvents: CustomerEvent[], listeners: StoredSubscription[], types?: AttributeTypes) => {
    if (versionEvents.length === 0) return;
    // Each query parsed once per batch. It was checked when it was registered; one that no longer
    // parses only skips its subscriber.
    const wants = await Promise.all(
      listeners.map((subscription) => subscriptionFilter(subscription, types).catch(() => () => false)),
    );
    for (const event of versionEvents) {
      listeners.forEach((subscription, index) => {
        // The secret stays in the subscription: the deliverer reads it there (delivery.ts).
        if (wants[index]?.(event)) {
          deliveries.push({ subscriptionId: subscription.id, callback: subscription.callback, event });
        }
      });
    }
  };
  await deliver(
    events,
    subscriptions.filter((subscription) => subscription.apiVersion !== 'v5'),
  );
  // Listeners registered through v5 get v5 events: the customer as v5 shows it, in the v5 envelope.
  const v5Listeners = subscriptions.filter((subscription) => subscription.apiVersion === 'v5');
  if (v5Listeners.length > 0) {
    const v5 = v5Context({ baseUrl: baseUrlOfVersion(context.baseUrl, 'v5') });
    await deliver(
      changes.flatMap((change) => eventsOf(change, v5)),
      v5Listeners,
      v5View.attributeTypes,
    );
  }
  if (deliveries.length > 0) await sinks.enqueue(deliveries);
  return events.length;
}
