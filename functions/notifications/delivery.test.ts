import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS, cachedSubscriptions, orderingGroupOf, retryDelaySeconds } from './delivery.js';

describe('delivery retry policy', () => {
  it('backs off exponentially from 5 s, capped at 15 minutes', () => {
    expect([1, 2, 3, 4, 5].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 80]);
    expect(retryDelaySeconds(20)).toBe(900);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
  });

  it('orders deliveries per subscriber and customer', () => {
    const event = { event: { customer: { id: 'C1' } } } as never;
    expect(orderingGroupOf({ subscriptionId: 'S1', callback: 'x', event })).toBe('S1.C1');
  });
});

describe('a delivery', () => {
  it('drops a delivery whose subscription is gone, without calling the listener', async () => {
    const { deliver } = await import('./delivery.js');
    const event = { eventId: 'E2', event: { customer: { id: 'C1' } } } as never;
    const delivered = await deliver(
      { subscriptionId: 'gone', callback: 'http://127.0.0.1:9/never', event },
      true,
      async () => undefined,
    );
    expect(delivered).toBe(false);
  });

  it('reads each subscription once per cache period', async () => {
    let reads = 0;
    const reader = cachedSubscriptions(async () => {
      reads += 1;
      return { signingSecret: 'whsec_x' };
    });
    await Promise.all([reader('S1'), reader('S1'), reader('S1')]);
    expect(reads).toBe(1);
  });
});
