/**
 * Delivering one event to one hub subscriber, and the retry policy around it. The delivery
 * Lambda (SQS) and the local server's delivery worker both run exactly this.
 *
 * A queued delivery names its subscription and never carries the signing secret: the secret lives
 * in the subscription alone, and the deliverer reads it there (SubscriptionReader, cached briefly).
 * Queues, dead letters and logs therefore hold nothing that could forge a delivery.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { backoffDelay } from '../backoff.js';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkCallback, type CheckedCallback } from '../domain/callbackUrl.js';
import type { CustomerEvent } from '../domain/events.js';
import { EVENT_ID_HEADER, signedHeaders } from '../signature.js';

export interface Delivery {
  readonly subscriptionId: string;
  readonly callback: string;
  readonly event: CustomerEvent;
}

/** What the deliverer needs of a subscription: whether it still exists, and its secret. */
export type SubscriptionReader = (subscriptionId: string) => Promise<{ readonly signingSecret?: string } | undefined>;

/** Attempts before a delivery goes to the dead-letter queue. */
export const MAX_DELIVERY_ATTEMPTS = 8;
const DELIVERY_TIMEOUT_MS = 5000;
/** How long a deliverer trusts what it read of a subscription (an unsubscribe takes effect within it). */
export const SUBSCRIPTION_CACHE_MS = 60_000;

/** Seconds to wait after failed attempt `attempt` (1-based): 5, 10, 20, ... capped at 15 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return backoffDelay(attempt - 1, { baseMs: 5, capMs: 900 });
}

/** Events of one customer reach one subscriber in order: they share an ordering group. */
export function orderingGroupOf(delivery: Delivery): string {
  return `${delivery.subscriptionId}.${String(delivery.event.event.customer.id)}`;
}

export class DeliveryFailedError extends Error {}

/** Reads subscriptions through a cache of SUBSCRIPTION_CACHE_MS, so a batch of deliveries reads each once. */
export function cachedSubscriptions(read: SubscriptionReader, ttlMs = SUBSCRIPTION_CACHE_MS): SubscriptionReader {
  const cache = new Map<string, { at: number; value: Promise<{ readonly signingSecret?: string } | undefined> }>();
  return (id) => {
    const hit = cache.get(id);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = read(id);
    cache.set(id, { at: Date.now(), value });
    value.catch(() => cache.delete(id)); // a failed read is not remembered
    return value;
  };
}

/** POSTs to the address that was checked: the name is not resolved a second time. */
function post(target: CheckedCallback, headers: Record<string, string>, body: string): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body, 'utf8')) },
        lookup: pinned,
        agent: false,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      },
      (response: IncomingMessage) => {
        response.resume(); // the answer's body is not read, only drained
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs the event to the callback; anything but a 2xx answer within 5 s is a failure to retry.
 * Answers false, delivering nothing, when the subscription is gone (unsubscribed since queuing).
 */
export async function deliver(
  delivery: Delivery,
  allowPrivateCallbacks: boolean,
  subscriptions: SubscriptionReader,
): Promise<boolean> {
  const subscription = await subscriptions(delivery.subscriptionId);
  if (!subscription) return false;
  // Checked again at delivery: a name may resolve somewhere else than when it was registered.
  const target = await checkCallback(delivery.callback, allowPrivateCallbacks);
  if ('problem' in target) throw new DeliveryFailedError(target.problem);
  const body = JSON.stringify(delivery.event);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'tmf629-customer-notifications',
    // Signed at each attempt, so a retry carries a fresh timestamp (and the same id).
    ...(subscription.signingSecret
      ? signedHeaders(subscription.signingSecret, delivery.event.eventId, body)
      : { [EVENT_ID_HEADER]: delivery.event.eventId }),
  };
  let status: number;
  try {
    status = await post(target, headers, body);
  } catch (error) {
    throw new DeliveryFailedError(`callback unreachable: ${(error as Error).message}`);
  }
  if (status < 200 || status >= 300) throw new DeliveryFailedError(`callback answered ${status}`);
  return true;
}
