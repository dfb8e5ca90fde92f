/**
 * Write safety across Regions (active-passive). DynamoDB global tables settle concurrent writes to
 * one item last-writer-wins, so If-Match, the sharded counts and the lookup items are only safe
 * while one Region writes at a time. The Region that takes writes is named in an SSM parameter
 * (never the replicated table), a copy in each Region so that a Region can be promoted while
 * another is unreachable; `npm run failover` changes the copies in an order that never leaves two
 * Regions writing (activeRegionSwitch.ts). A standby answers reads and refuses writes with 503
 * and Retry-After, saying which Region is active, until a failover promotes it.
 */
import { ServiceUnavailableError } from '../errors.js';

/** What a client is told to wait before retrying a write refused by a standby. */
export const STANDBY_RETRY_AFTER_SECONDS = 30;

/** Resolves when this Region may write; refuses with 503 while another Region is active. */
export type WriteGate = () => Promise<void>;

export function writeGate(ownRegion: string, activeRegion: () => Promise<string>): WriteGate {
  return async () => {
    const active = (await activeRegion()).trim();
    if (active === ownRegion) return;
    throw new ServiceUnavailableError(
      `This Region (${ownRegion}) is the standby: writes go to the active Region (${active || 'none named'}) until a failover promotes this one`,
      STANDBY_RETRY_AFTER_SECONDS,
    );
  };
}
