/**
 * TMF629 notification events, derived from a customer's stored versions (a DynamoDB stream
 * record's old and new image), and which hub subscriptions want them.
 */
import { InvalidQueryError } from '../errors.js';
import type { AttributeTypes } from './attributes.js';
import type { StoredSubscription } from './ports.js';
import { changesBetween } from './changes.js';
import { matchesFilter, parseFilter, prepareFilter, type Filter } from './filter.js';
import type { CustomerDocument, StoredCustomer } from './ports.js';
import { represent, type ResourceContext } from './representation.js';

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
  /** v5 events: when it happened (the v5 Event names it; v4's envelope has eventTime only). */
  readonly timeOccurred?: string;
  /** v5 events: the customer the event is about, and this API as the system reporting it. */
  readonly source?: EntityRef;
  readonly reportingSystem?: EntityRef;
  readonly event: { readonly customer: Record<string, unknown> };
}

/** A v5 EntityRef. */
export interface EntityRef {
  readonly '@type': 'EntityRef';
  readonly id: string;
  readonly href?: string;
  readonly name?: string;
  readonly '@referredType'?: string;
}

/** One change of a customer, as a stream reports it. */
export interface CustomerChange {
  /** Unique per change (the stream record's id); events derive their ids from it. */
  readonly changeId: string;
  readonly time: Date;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
}

/** The customer as the subscriber's API version shows it (v4 unless the context has a view). */
function representation(doc: Record<string, unknown>, context: ResourceContext): Record<string, unknown> {
  return represent({ doc: doc as CustomerDocument, version: 0 } as StoredCustomer, context);
}

/** Where a v5 event comes from: the customer it is about, reported by this API (at its base URL). */
function v5Origin(
  customer: Record<string, unknown>,
  context: ResourceContext,
): Pick<CustomerEvent, 'source' | 'reportingSystem'> {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const href = text(customer.href);
  const name = text(customer.name);
  return {
    source: {
      '@type': 'EntityRef',
      id: String(customer.id),
      ...(href ? { href } : {}),
      ...(name ? { name } : {}),
      '@referredType': 'Customer',
    },
    reportingSystem: {
      '@type': 'EntityRef',
      id: 'TMF629',
      name: 'TMF629 Customer Management',
      ...(context.baseUrl ? { href: context.baseUrl } : {}),
    },
  };
}

/** The events one change raises, in the order a listener should see them. */
export function eventsOf(change: CustomerChange, context: ResourceContext): CustomerEvent[] {
  const eventTime = change.time.toISOString();
  const v5 = context.view !== undefined;
  const event = (
    eventType: CustomerEventType,
    customer: Record<string, unknown>,
    fieldPath?: string,
  ): CustomerEvent => ({
    '@type': eventType,
    eventId: `${change.changeId}-${eventType}`,
    eventTime,
    eventType,
    // The v5 Event has no fieldPath; it has timeOccurred, a source and a reporting system.
    ...(v5 ? { timeOccurred: eventTime, ...v5Origin(customer, context) } : fieldPath ? { fieldPath } : {}),
    event: { customer },
  });
  // Compared as this version shows them: a change only the other version sees raises nothing here.
  const before = change.before && representation(change.before, context);
  const after = change.after && representation(change.after, context);
  if (!before && after) return [event('CustomerCreateEvent', after)];
  if (before && !after) return [event('CustomerDeleteEvent', before)];
  if (!before || !after) return [];
  const { attributes, statusChanged } = changesBetween(before, after);
  if (attributes.length === 0) return [];
  const events = [event('CustomerAttributeValueChangeEvent', after, attributes.join(','))];
  if (statusChanged) events.push(event('CustomerStateChangeEvent', after, 'status'));
  return events;
}

/** A subscription's query: `eventType=A,B` plus customer attribute filters in the TMF630 syntax. */
export interface SubscriptionQuery {
  readonly eventTypes?: ReadonlySet<string>;
  readonly filter: Filter;
}

export function parseSubscriptionQuery(query: string | undefined, attributeTypes?: AttributeTypes): SubscriptionQuery {
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
    filter: parseFilter(filters, attributeTypes ? { attributeTypes } : {}),
  };
}

/** Compiles the query's regexes (a bad one is a 400). */
export function prepareSubscriptionQuery(query: SubscriptionQuery): Promise<void> {
  return prepareFilter(query.filter);
}

/**
 * Which events a subscription wants (its event types, and its filter on the event's customer),
 * its query parsed and compiled once for a whole batch of events. A query that no longer parses
 * throws, as at registration.
 */
export async function subscriptionFilter(
  subscription: StoredSubscription,
  attributeTypes?: AttributeTypes,
): Promise<(event: CustomerEvent) => boolean> {
  const query = parseSubscriptionQuery(subscription.query, attributeTypes);
  await prepareSubscriptionQuery(query);
  return (event) =>
    (!query.eventTypes || query.eventTypes.has(event.eventType)) && matchesFilter(event.event.customer, query.filter);
}

/** Whether a subscription wants one event. */
export async function subscriptionWants(
  subscription: StoredSubscription,
  event: CustomerEvent,
  attributeTypes?: AttributeTypes,
): Promise<boolean> {
  return (await subscriptionFilter(subscription, attributeTypes))(event);
}
