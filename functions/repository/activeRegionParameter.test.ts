import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../domain/ports.js';
import { activeRegionCopies, activeRegionParameterStore } from './activeRegionParameter.js';

const ssm = mockClient(SSMClient);
afterEach(() => {
  ssm.reset();
  vi.unstubAllEnvs();
});

/** Answers GetParameter per Region: a value and when it was set, or an error. */
function regionsAnswer(answers: Record<string, { names: string; setAt: number } | Error>) {
  const asked: string[] = [];
  ssm.on(GetParameterCommand).callsFake(async (_input, getClient: () => SSMClient) => {
    const region = await getClient().config.region();
    asked.push(region);
    const answer = answers[region];
    if (!answer || answer instanceof Error) throw answer ?? new Error(`no answer for ${region}`);
    return { Parameter: { Value: answer.names, LastModifiedDate: new Date(answer.setAt) } };
  });
  return asked;
}

describe('activeRegionCopies (what a write consults)', () => {
  it("reads this Region's copy and the others', once per cache period", async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const asked = regionsAnswer({
      'eu-west-1': { names: 'eu-west-1', setAt: 100 },
      'eu-central-1': { names: 'eu-west-1', setAt: 90 },
    });
    const read = activeRegionCopies('/Tmf/active-region', 'eu-west-1', ['eu-central-1'], 60_000);
    const copies = await read();
    expect(copies).toEqual({
      own: { region: 'eu-west-1', names: 'eu-west-1', setAt: 100 },
      others: [{ region: 'eu-central-1', names: 'eu-west-1', setAt: 90 }],
    });
    await read();
    expect(asked.sort()).toEqual(['eu-central-1', 'eu-west-1']);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/Tmf/active-region' });
  });

  it('leaves out a Region that cannot be read', async () => {
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    regionsAnswer({ 'eu-central-1': { names: 'eu-central-1', setAt: 200 }, 'eu-west-1': new Error('timeout') });
    const copies = await activeRegionCopies('/Tmf/active-region', 'eu-central-1', ['eu-west-1'], 60_000)();
    expect(copies.others).toEqual([]);
  });

  it("refuses (503) when this Region's own copy cannot be read, and tries again next time", async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const answers: Record<string, { names: string; setAt: number } | Error> = { 'eu-west-1': new Error('throttled') };
    regionsAnswer(answers);
    const read = activeRegionCopies('/Tmf/active-region', 'eu-west-1', [], 60_000);
    await expect(read()).rejects.toBeInstanceOf(StoreUnavailableError);
    answers['eu-west-1'] = { names: 'eu-west-1', setAt: 1 };
    expect((await read()).own.names).toBe('eu-west-1');
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
