/**
 * The one backoff rule every retry here follows: exponential from `baseMs`, capped at `capMs`,
 * and with `jitter` (AWS's "full jitter") a uniform draw below that, so competing retriers spread
 * out. Waiting is `node:timers/promises`' setTimeout, re-exported as `pause`.
 */
export { setTimeout as pause } from 'node:timers/promises';

export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  readonly jitter?: boolean;
}

/** The wait before retry number `attempt` (0 for the first retry's base). */
export function backoffDelay(attempt: number, { baseMs, capMs, jitter = false }: Backoff): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return jitter ? Math.random() * ceiling : ceiling;
}
