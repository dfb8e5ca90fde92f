import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../domain/ports.js';
import { activeRegionParameter, activeRegionParameterStore } from './activeRegionParameter.js';

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

describe('activeRegionParameter (what a function reads)', () => {
  it('reads the parameter once per cache period', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'eu-west-1' } });
    const read = activeRegionParameter('/Tmf/active-region', 60_000);
    expect(await read()).toBe('eu-west-1');
    expect(await read()).toBe('eu-west-1');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/Tmf/active-region' });
  });

  it('refuses (503) when the parameter cannot be read, and tries again next time', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ Parameter: { Value: 'eu-west-1' } });
    const read = activeRegionParameter('/Tmf/active-region', 60_000);
    await expect(read()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await read()).toBe('eu-west-1');
  });
});

describe('activeRegionParameterStore (what the failover command writes)', () => {
  it("reads and overwrites each Region's copy through that Region's endpoint", async () => {
    const regions: string[] = [];
    ssm.on(GetParameterCommand).callsFake(async (_input, getClient: () => SSMClient) => {
      regions.push(await getClient().config.region());
      return { Parameter: { Value: 'eu-west-1' } };
    });
    ssm.on(PutParameterCommand).callsFake(async (_input, getClient: () => SSMClient) => {
      regions.push(await getClient().config.region());
      return {};
    });
    const store = await activeRegionParameterStore('/Tmf/active-region');
    expect(await store.read('eu-central-1')).toBe('eu-west-1');
    await store.write('eu-west-1', 'eu-central-1');
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/Tmf/active-region',
      Value: 'eu-central-1',
      Type: 'String',
      Overwrite: true,
    });
    expect(regions).toEqual(['eu-central-1', 'eu-west-1']);
  });
});
