/**
 * Failover and fail-back of a multi-Region (active-passive) deployment: which Region takes writes.
 * Each Region's functions read their own Region's copy of the active-Region parameter (so a Region
 * can be promoted while another is unreachable). A switch therefore goes in an order that never
 * lets two Regions write at once: every other Region is told first (it starts refusing writes),
 * then the switch waits out what those Regions may still be doing (their cached reading of the
 * parameter plus the longest write already admitted), and only then is the new Region told.
 */

/** Reads and writes one Region's copy of the active-Region parameter. */
export interface ActiveRegionStore {
  read(region: string): Promise<string>;
  write(region: string, activeRegion: string): Promise<void>;
}

/** What one Region says (or could not say) before and after a switch. */
export interface RegionState {
  readonly region: string;
  readonly before?: string;
  readonly after?: string;
  /** Why the Region could not be read or written: it is unreachable, or refused. */
  readonly error?: string;
}

export interface SwitchResult {
  /** `switched`; `unchanged` (already so everywhere); `blocked`: a Region could not be demoted, nothing promoted. */
  readonly outcome: 'switched' | 'unchanged' | 'blocked';
  readonly regions: readonly RegionState[];
}

export interface SwitchOptions {
  readonly to: string;
  readonly regions: readonly string[];
  readonly store: ActiveRegionStore;
  /**
   * How long to wait between demoting the others and promoting `to`: the functions' cache of the
   * parameter plus the longest write function's timeout (ACTIVE_REGION_CACHE_MS + 10 s).
   */
  readonly settleMs: number;
  /** Promote even though a Region could not be demoted (it is down, or out of DNS). */
  readonly force?: boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Reads every Region's copy; an unreachable Region carries its error. */
export async function activeRegionStatus(store: ActiveRegionStore, regions: readonly string[]): Promise<RegionState[]> {
  return Promise.all(
    regions.map(async (region) => {
      try {
        return { region, before: (await store.read(region)).trim() };
      } catch (error) {
        return { region, error: message(error) };
      }
    }),
  );
}

export async function switchActiveRegion(options: SwitchOptions): Promise<SwitchResult> {
  const { to, regions, store, settleMs } = options;
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  if (!regions.includes(to)) throw new Error(`${to} is not one of this deployment's Regions (${regions.join(', ')})`);

  const states = new Map((await activeRegionStatus(store, regions)).map((state) => [state.region, state]));
  if ([...states.values()].every((state) => state.before === to)) {
    return { outcome: 'unchanged', regions: [...states.values()].map((state) => ({ ...state, after: to })) };
  }
  // 1. Demote: every other Region learns the new active Region and starts refusing writes.
  for (const region of regions.filter((candidate) => candidate !== to)) {
    const state = states.get(region) ?? { region };
    try {
      await store.write(region, to);
      states.set(region, { ...state, after: to });
      log(`${region}: now names ${to} active (refuses writes)`);
    } catch (error) {
      states.set(region, { ...state, error: message(error) });
      log(`${region}: could not be told (${message(error)})`);
    }
  }
  const undemoted = regions.filter((region) => region !== to && states.get(region)?.after !== to);
  if (undemoted.length > 0 && !options.force) {
    log(`not promoting ${to}: ${undemoted.join(', ')} may still take writes (--force once it is down or out of DNS)`);
    return { outcome: 'blocked', regions: regions.map((region) => states.get(region) ?? { region }) };
  }
  // 2. Settle: writes the demoted Regions admitted before they learned it finish (or time out).
  log(`waiting ${Math.round(settleMs / 1000)} s for writes already admitted elsewhere to finish`);
  await sleep(settleMs);
  // 3. Promote.
  const target = states.get(to) ?? { region: to };
  try {
    await store.write(to, to);
    states.set(to, { ...target, after: to });
    log(`${to}: active (takes writes)`);
  } catch (error) {
    states.set(to, { ...target, error: message(error) });
    throw new Error(`${to} could not be promoted: ${message(error)}; every Region now refuses writes`, {
      cause: error,
    });
  }
  return { outcome: 'switched', regions: regions.map((region) => states.get(region) ?? { region }) };
}
