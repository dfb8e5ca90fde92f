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

/** One Region's copy of the active-Region parameter: the Region it names, and when it was last set. */
export interface ActiveRegionCopy {
  readonly region: string;
  readonly names: string;
  /** When the copy was last set (ms since the epoch). */
  readonly setAt: number;
}

/** This Region's copy, and those of the other Regions that could be read (an unreachable one is left out). */
export type ReadActiveRegionCopies = () => Promise<{
  readonly own: ActiveRegionCopy;
  readonly others: readonly ActiveRegionCopy[];
}>;

/** Resolves when this Region may write; refuses with 503 while another Region is active. */
export type WriteGate = () => Promise<void>;

/**
 * A Region writes when its own copy names it and no other Region's copy, set since, names another
 * Region. The second rule covers a Region that was down during a forced failover: when it comes
 * back its own copy still names it, but the newer decision elsewhere keeps it from writing.
 */
export function writeGate(ownRegion: string, copies: ReadActiveRegionCopies): WriteGate {
  return async () => {
    const { own, others } = await copies();
    const active = own.names.trim();
    if (active !== ownRegion) {
      throw new ServiceUnavailableError(
        `This Region (${ownRegion}) is the standby: writes go to the active Region (${active || 'none named'}) until a failover promotes this one`,
        STANDBY_RETRY_AFTER_SECONDS,
      );
    }
    const overruled = others.find((other) => other.setAt > own.setAt && other.names.trim() !== ownRegion);
    if (overruled) {
      throw new ServiceUnavailableError(
        `This Region (${ownRegion}) names itself active, but ${overruled.region} was told since that ${overruled.names.trim() || 'no Region'} is: writes wait until a failover settles it`,
        STANDBY_RETRY_AFTER_SECONDS,
      );
    }
  };
}
