import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreToPointInTime } from './pointInTimeRestore.js';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

const earliest = new Date('2026-11-01T00:00:00Z');
const latest = new Date('2026-12-02T07:00:00Z');
const recovery = (status: 'ENABLED' | 'DISABLED') =>
  dynamo.on(DescribeContinuousBackupsCommand).resolves({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: status,
        EarliestRestorableDateTime: earliest,
        LatestRestorableDateTime: latest,
      },
    },
  });

describe('restoreToPointInTime (drill a)', () => {
  it('restores to the time asked into a new table and waits until it is ACTIVE', async () => {
    recovery('ENABLED');
    dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
    dynamo
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
      .resolves({ Table: { TableStatus: 'ACTIVE' } });
    const at = new Date('2026-12-01T12:00:00Z');
    const restored = await restoreToPointInTime(new DynamoDBClient({ region: 'eu-west-1' }), {
      sourceTable: 'customers',
      targetTable: 'customers-drill',
      at,
      maxWaitSeconds: 120,
      pollSeconds: 1,
    });
    expect(dynamo.commandCalls(RestoreTableToPointInTimeCommand)[0]?.args[0].input).toEqual({
      SourceTableName: 'customers',
      TargetTableName: 'customers-drill',
      RestoreDateTime: at,
    });
    expect(dynamo.commandCalls(DescribeTableCommand).length).toBeGreaterThanOrEqual(2);
    expect(restored).toMatchObject({ targetTable: 'customers-drill', restoredTo: at, earliest, latest });
  });

  it('restores to the latest restorable time when no time is asked', async () => {
    recovery('ENABLED');
    dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
    dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    const restored = await restoreToPointInTime(new DynamoDBClient({ region: 'eu-west-1' }), {
      sourceTable: 'customers',
      targetTable: 'customers-drill',
    });
    expect(dynamo.commandCalls(RestoreTableToPointInTimeCommand)[0]?.args[0].input).toMatchObject({
      UseLatestRestorableTime: true,
    });
    expect(restored.restoredTo).toBe('latest');
  });

  it('refuses a time outside the restorable window, naming the window, before restoring anything', async () => {
    recovery('ENABLED');
    await expect(
      restoreToPointInTime(new DynamoDBClient({ region: 'eu-west-1' }), {
        sourceTable: 'customers',
        targetTable: 'customers-drill',
        at: new Date('2026-10-01T00:00:00Z'),
      }),
    ).rejects.toThrow(/can be restored to 2026-11-01T00:00:00.000Z … 2026-12-02T07:00:00.000Z/);
    expect(dynamo.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
  });

  it('says so when point-in-time recovery is off', async () => {
    recovery('DISABLED');
    await expect(
      restoreToPointInTime(new DynamoDBClient({ region: 'eu-west-1' }), { sourceTable: 't', targetTable: 'u' }),
    ).rejects.toThrow(/point-in-time recovery is not on for t/);
  });
});
