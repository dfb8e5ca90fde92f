/**
 * TMF629 notification events, derived from a customer's stored versions (a DynamoDB stream
 * record's old and new image), and which hub subscriptions want them.
 */
import { InvalidQueryError } from '../errors.js';
import type { StoredSubscription } from './ports.js';
import { changesBetween } from './changes.js';
import { matchesFilter, parseFilter, prepareFilter, type Filter } from './filter.js';
import { hrefOf, type ResourceContext } from './representation.js';

export const EVENT_TYPES = [
  'CustomerCreateEvent',
  'CustomerAttributeValueChangeEvent',
  'CustomerStateChangeEvent',
  'CustomerDeleteEvent',
] as const;
export type CustomerEventType = (typeof EVENT_TYPES)[number];

export interface CustomerEvent {
  readonly '@type': CustomerEventType;
  readonly eventId: string;
  readonly eventTime: string;
  readonly eventType: CustomerEventType;
  readonly fieldPath?: string;
  readonly event: { readonly customer: Record<string, unknown> };
}

/** One change of a customer, as a stream reports it. */
export interface CustomerChange {
  /** Unique per change (the stream record's id); events derive their ids from it. */
  readonly changeId: string;
  readonly time: Date;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
}

function representation(doc: Record<string, unknown>, context: ResourceContext): Record<string, unknown> {
  const { id, href: _href, ...attributes } = doc;
  return { id, href: hrefOf(String(id), context), ...attributes };
}

/** The events one change raises, in the order a listener should see them. */
export function eventsOf(change: CustomerChange, context: ResourceContext): CustomerEvent[] {
  const eventTime = change.time.toISOString();
  const event = (eventType: CustomerEventType, doc: Record<string, unknown>, fieldPath?: string): CustomerEvent => ({
    '@type': eventType,
    eventId: `${change.changeId}-${eventType}`,
    eventTime,
    eventType,
    ...(fieldPath ? { fieldPath } : {}),
    event: { customer: representation(doc, context) },
  });
  if (!change.before && change.after) return [event('CustomerCreateEvent', change.after)];
  if (change.before && !change.after) return [event('CustomerDeleteEvent', change.before)];
  if (!change.before || !change.after) return [];
  const { attributes, statusChanged } = changesBetween(change.before, change.after);
  if (attributes.length === 0) return [];
  const events = [event('CustomerAttributeValueChangeEvent', change.after, attributes.join(','))];
  if (statusChanged) events.push(event('CustomerStateChangeEvent', change.after, 'status'));
  return events;
}

/** A subscription's query: `eventType=A,B` plus customer attribute filters in the TMF630 syntax. */
export interface SubscriptionQuery {
  readonly eventTypes?: ReadonlySet<string>;
  readonly filter: Filter;
}

export function parseSubscriptionQuery(query: string | undefined): SubscriptionQuery {
  const params = new URLSearchParams(query ?? '');
  const eventTypes = params.getAll('eventType').flatMap((value) => value.split(','));
  for (const type of eventTypes) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      throw new InvalidQueryError(`query: eventType ${type.slice(0, 64)} is not one of ${EVENT_TYPES.join(', ')}`);
    }
  }
  const filters = [...params].filter(([name]) => name !== 'eventType');
  return {
    ...(eventTypes.length > 0 ? { eventTypes: new Set(eventTypes) } : {}),
    filter: parseFilter(filters),
  };
}

/** Compiles the query's regexes (a bad one is a 400). */
export function prepareSubscriptionQuery(query: SubscriptionQuery): Promise<void> {
  return prepareFilter(query.filter);
}

/** Whether a subscription wants an event: its event type, and its filter on the event's customer. */
export async function subscriptionWants(subscription: StoredSubscription, event: CustomerEvent): Promise<boolean> {
  const query = parseSubscriptionQuery(subscription.query);
  if (query.eventTypes && !query.eventTypes.has(event.eventType)) return false;
  await prepareSubscriptionQuery(query);
  return matchesFilter(event.event.customer, query.filter);
}
