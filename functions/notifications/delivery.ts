/**
 * Delivering one event to one hub subscriber, and the retry policy around it. The delivery
 * Lambda (SQS) and the local server's delivery worker both run exactly this.
 */
import { callbackProblem } from '../domain/callbackUrl.js';
import type { CustomerEvent } from '../domain/events.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureOf } from './signature.js';

export interface Delivery {
  readonly subscriptionId: string;
  readonly callback: string;
  readonly event: CustomerEvent;
  /** The subscription's secret: the delivery is signed with it (signature.ts). */
  readonly signingSecret?: string;
}

/** Attempts before a delivery goes to the dead-letter queue. */
export const MAX_DELIVERY_ATTEMPTS = 8;
const DELIVERY_TIMEOUT_MS = 5000;

/** Seconds to wait after failed attempt `attempt` (1-based): 5, 10, 20, ... capped at 15 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(900, 5 * 2 ** Math.max(0, attempt - 1));
}

/** Events of one customer reach one subscriber in order: they share an ordering group. */
export function orderingGroupOf(delivery: Delivery): string {
  return `${delivery.subscriptionId}.${String(delivery.event.event.customer.id)}`;
}

export class DeliveryFailedError extends Error {}

/** POSTs the event to the callback; anything but a 2xx answer within 5 s is a failure to retry. */
export async function deliver(delivery: Delivery, allowPrivateCallbacks: boolean): Promise<void> {
  // Checked again at delivery: a name may resolve somewhere else than when it was registered.
  const problem = await callbackProblem(delivery.callback, allowPrivateCallbacks);
  if (problem) throw new DeliveryFailedError(problem);
  const body = JSON.stringify(delivery.event);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'tmf629-customer-notifications',
    [EVENT_ID_HEADER]: delivery.event.eventId,
  };
  // Signed at each attempt, so a retry carries a fresh timestamp.
  if (delivery.signingSecret) headers[SIGNATURE_HEADER] = signatureOf(delivery.signingSecret, body);
  let response: Response;
  try {
    response = await fetch(delivery.callback, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.arrayBuffer();
  } catch (error) {
    throw new DeliveryFailedError(`callback unreachable: ${(error as Error).message}`);
  }
  if (response.status < 200 || response.status >= 300) {
    throw new DeliveryFailedError(`callback answered ${response.status}`);
  }
}
