import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS, orderingGroupOf, retryDelaySeconds } from './delivery.js';

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
