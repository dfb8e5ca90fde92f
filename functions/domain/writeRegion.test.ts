import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors.js';
import { STANDBY_RETRY_AFTER_SECONDS, writeGate } from './writeRegion.js';

describe('writeGate (active-passive)', () => {
  it('lets the active Region write', async () => {
    await expect(writeGate('eu-west-1', async () => 'eu-west-1')()).resolves.toBeUndefined();
    await expect(writeGate('eu-west-1', async () => ' eu-west-1\n')()).resolves.toBeUndefined();
  });

  it('refuses writes in the standby with 503 and Retry-After, naming both Regions', async () => {
    const refusal = await writeGate('eu-central-1', async () => 'eu-west-1')().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServiceUnavailableError);
    const error = refusal as ServiceUnavailableError;
    expect(error.status).toBe(503);
    expect(error.headers['Retry-After']).toBe(String(STANDBY_RETRY_AFTER_SECONDS));
    expect(error.message).toMatch(/eu-central-1\) is the standby.*active Region \(eu-west-1\)/);
  });

  it('refuses when no Region is named: two writers are worse than none', async () => {
    await expect(writeGate('eu-west-1', async () => '')()).rejects.toThrow(/none named/);
  });
});
