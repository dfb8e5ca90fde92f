import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../errors.js';
import { eventsOf, parseSubscriptionQuery, subscriptionWants, type CustomerEvent } from './events.js';

const context = { baseUrl: 'https://api.example.com/tmf-api/customerManagement/v4' };
const time = new Date('2026-01-01T00:00:00Z');
const before = { id: 'C1', name: 'Moon', status: 'Pending', '@type': 'Customer' };

describe('eventsOf', () => {
  it('raises CustomerCreateEvent for a new customer, with its href', () => {
    const [event] = eventsOf({ changeId: 'r1', time, after: before }, context);
    expect(event).toEqual({
      '@type': 'CustomerCreateEvent',
      eventId: 'r1-CustomerCreateEvent',
      eventTime: '2026-01-01T00:00:00.000Z',
      eventType: 'CustomerCreateEvent',
      event: {
        customer: {
          id: 'C1',
          href: `${context.baseUrl}/customer/C1`,
          name: 'Moon',
          status: 'Pending',
          '@type': 'Customer',
        },
      },
    });
  });

  it('raises an attribute change naming what changed, and a state change when status changed', () => {
    const events = eventsOf(
      { changeId: 'r2', time, before, after: { ...before, name: 'Sun', status: 'Approved' } },
      context,
    );
    expect(events.map((e) => [e.eventType, e.fieldPath])).toEqual([
      ['CustomerAttributeValueChangeEvent', 'name,status'],
      ['CustomerStateChangeEvent', 'status'],
    ]);
    const [only] = eventsOf({ changeId: 'r3', time, before, after: { ...before, name: 'Sun' } }, context);
    expect(only?.eventType).toBe('CustomerAttributeValueChangeEvent');
    expect(eventsOf({ changeId: 'r4', time, before, after: { ...before } }, context)).toEqual([]);
  });

  it('raises CustomerDeleteEvent with the customer as it was', () => {
    const [event] = eventsOf({ changeId: 'r5', time, before }, context);
    expect(event?.eventType).toBe('CustomerDeleteEvent');
    expect(event?.event.customer).toMatchObject({ id: 'C1', name: 'Moon' });
  });
});

describe('subscription queries', () => {
  const event = (eventType: CustomerEvent['eventType'], customer: Record<string, unknown>): CustomerEvent => ({
    '@type': eventType,
    eventId: 'e',
    eventTime: time.toISOString(),
    eventType,
    event: { customer },
  });

  it('select by event type and by the customer in the event', async () => {
    const subscription = {
      id: 's',
      callback: 'http://x',
      query: 'eventType=CustomerCreateEvent,CustomerDeleteEvent&status=Approved',
    };
    expect(await subscriptionWants(subscription, event('CustomerCreateEvent', { status: 'Approved' }))).toBe(true);
    expect(await subscriptionWants(subscription, event('CustomerCreateEvent', { status: 'Pending' }))).toBe(false);
    expect(await subscriptionWants(subscription, event('CustomerStateChangeEvent', { status: 'Approved' }))).toBe(
      false,
    );
    expect(await subscriptionWants({ id: 's', callback: 'http://x' }, event('CustomerStateChangeEvent', {}))).toBe(
      true,
    );
    expect(
      await subscriptionWants(
        { id: 's', callback: 'http://x', query: 'name*=^Mo' },
        event('CustomerCreateEvent', { name: 'Moon' }),
      ),
    ).toBe(true);
  });

  it('refuse unknown event types and attributes', () => {
    expect(() => parseSubscriptionQuery('eventType=CustomerBoomEvent')).toThrow(InvalidQueryError);
    expect(() => parseSubscriptionQuery('planet=Mars')).toThrow(InvalidQueryError);
  });
});
