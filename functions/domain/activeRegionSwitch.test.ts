import { describe, expect, it } from 'vitest';
import { activeRegionStatus, switchActiveRegion, type ActiveRegionStore } from './activeRegionSwitch.js';

const R1 = 'eu-west-1';
const R2 = 'eu-central-1';

/** Each Region's copy of the parameter, with Regions that cannot be reached, and what happened in order. */
function regionsHolding(values: Record<string, string>, unreachable: string[] = []) {
  const events: string[] = [];
  const store: ActiveRegionStore = {
    read: async (region) => {
      if (unreachable.includes(region)) throw new Error('connect ETIMEDOUT');
      return values[region] ?? '';
    },
    write: async (region, active) => {
      if (unreachable.includes(region)) throw new Error('connect ETIMEDOUT');
      values[region] = active;
      events.push(`${region}=${active}`);
    },
  };
  const sleep = async (ms: number) => {
    events.push(`wait ${ms}`);
  };
  return { store, events, values, sleep };
}

describe('switchActiveRegion (failover and fail-back)', () => {
  it('tells every other Region first, waits out their admitted writes, then promotes', async () => {
    const regions = regionsHolding({ [R1]: R1, [R2]: R1 });
    const result = await switchActiveRegion({ to: R2, regions: [R1, R2], settleMs: 15_000, ...regions });
    expect(result.outcome).toBe('switched');
    expect(regions.events).toEqual([`${R1}=${R2}`, 'wait 15000', `${R2}=${R2}`]);
    expect(regions.values).toEqual({ [R1]: R2, [R2]: R2 });
    expect(result.regions).toEqual([
      { region: R1, before: R1, after: R2 },
      { region: R2, before: R1, after: R2 },
    ]);
  });

  it('fails back the same way', async () => {
    const regions = regionsHolding({ [R1]: R2, [R2]: R2 });
    await switchActiveRegion({ to: R1, regions: [R1, R2], settleMs: 1, ...regions });
    expect(regions.events).toEqual([`${R2}=${R1}`, 'wait 1', `${R1}=${R1}`]);
  });

  it('promotes nobody while a Region that may still take writes cannot be told', async () => {
    const regions = regionsHolding({ [R1]: R1, [R2]: R1 }, [R1]);
    const result = await switchActiveRegion({ to: R2, regions: [R1, R2], settleMs: 1, ...regions });
    expect(result.outcome).toBe('blocked');
    expect(regions.events).toEqual([]);
    expect(regions.values[R2]).toBe(R1);
    expect(result.regions[0]).toMatchObject({ region: R1, error: 'connect ETIMEDOUT' });
  });

  it('promotes with --force when the unreachable Region is known to be down (or out of DNS)', async () => {
    const regions = regionsHolding({ [R1]: R1, [R2]: R1 }, [R1]);
    const result = await switchActiveRegion({ to: R2, regions: [R1, R2], settleMs: 1, force: true, ...regions });
    expect(result.outcome).toBe('switched');
    expect(regions.events).toEqual(['wait 1', `${R2}=${R2}`]);
  });

  it('changes nothing when every Region already names the target', async () => {
    const regions = regionsHolding({ [R1]: R2, [R2]: R2 });
    const result = await switchActiveRegion({ to: R2, regions: [R1, R2], settleMs: 1, ...regions });
    expect(result.outcome).toBe('unchanged');
    expect(regions.events).toEqual([]);
  });

  it('says so when the target itself cannot be promoted: every Region then refuses writes', async () => {
    const regions = regionsHolding({ [R1]: R1, [R2]: R1 }, [R2]);
    await expect(switchActiveRegion({ to: R2, regions: [R1, R2], settleMs: 1, ...regions })).rejects.toThrow(
      /could not be promoted.*every Region now refuses writes/,
    );
    expect(regions.values[R1]).toBe(R2);
  });

  it('refuses a Region that is not the deployment’s', async () => {
    const regions = regionsHolding({ [R1]: R1, [R2]: R1 });
    await expect(switchActiveRegion({ to: 'us-east-1', regions: [R1, R2], settleMs: 1, ...regions })).rejects.toThrow(
      /not one of this deployment's Regions/,
    );
    expect(regions.events).toEqual([]);
  });

  it('reports each Region’s copy, unreachable ones with their error', async () => {
    const { store } = regionsHolding({ [R1]: ` ${R1}\n`, [R2]: R1 }, [R2]);
    expect(await activeRegionStatus(store, [R1, R2])).toEqual([
      { region: R1, before: R1 },
      { region: R2, error: 'connect ETIMEDOUT' },
    ]);
  });
});
