import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors.js';
import { STANDBY_RETRY_AFTER_SECONDS, writeGate, type ActiveRegionCopy } from './writeRegion.js';

const R1 = 'eu-west-1';
const R2 = 'eu-central-1';
const copy = (region: string, names: string, setAt: number): ActiveRegionCopy => ({ region, names, setAt });
const gate = (own: ActiveRegionCopy, ...others: ActiveRegionCopy[]) =>
  writeGate(own.region, async () => ({ own, others }));

describe('writeGate (active-passive)', () => {
  it('lets the active Region write', async () => {
    await expect(gate(copy(R1, R1, 1), copy(R2, R1, 1))()).resolves.toBeUndefined();
    await expect(gate(copy(R1, ' eu-west-1\n', 1))()).resolves.toBeUndefined();
  });

  it('refuses writes in the standby with 503 and Retry-After, naming both Regions', async () => {
    const refusal = await gate(copy(R2, R1, 1), copy(R1, R1, 1))().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServiceUnavailableError);
    const error = refusal as ServiceUnavailableError;
    expect(error.status).toBe(503);
    expect(error.headers['Retry-After']).toBe(String(STANDBY_RETRY_AFTER_SECONDS));
    expect(error.message).toMatch(/eu-central-1\) is the standby.*active Region \(eu-west-1\)/);
  });

  it('refuses when no Region is named: two writers are worse than none', async () => {
    await expect(gate(copy(R1, '', 1))()).rejects.toThrow(/none named/);
  });

  it('keeps a Region that was down during a forced failover from writing when it comes back', async () => {
    // R1 was unreachable when R2 was promoted (at 200): R1's own copy still names R1 (from 100).
    const returned = gate(copy(R1, R1, 100), copy(R2, R2, 200));
    await expect(returned()).rejects.toThrow(/eu-west-1\) names itself active, but eu-central-1 was told since/);
    // ...while R2, whose decision is the newer, goes on writing.
    await expect(gate(copy(R2, R2, 200), copy(R1, R1, 100))()).resolves.toBeUndefined();
  });

  it('lets the promoted Region write after an orderly failover (the demoted copy names it)', async () => {
    await expect(gate(copy(R2, R2, 300), copy(R1, R2, 200))()).resolves.toBeUndefined();
    await expect(gate(copy(R1, R2, 200), copy(R2, R2, 300))()).rejects.toThrow(/standby/);
  });

  it('writes on when another Region cannot be read (it may be the one that is down)', async () => {
    await expect(gate(copy(R2, R2, 200))()).resolves.toBeUndefined();
  });
});
