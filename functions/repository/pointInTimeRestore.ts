/**
 * Drill (a) of docs/operators.md: restore a deployed table to a point in time, into a new table,
 * and wait until it can be read. DynamoDB does the restore; this checks the time asked for is
 * within what point-in-time recovery can give, starts it, and times it (the table's RTO).
 */
import {
  DescribeContinuousBackupsCommand,
  RestoreTableToPointInTimeCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export interface PointInTimeRestore {
  readonly sourceTable: string;
  readonly targetTable: string;
  /** The moment to restore to; the latest restorable time when absent. */
  readonly at?: Date;
  /** How long to wait for the new table (default 6 hours: restores of large tables take hours). */
  readonly maxWaitSeconds?: number;
  /** How often to ask whether the new table is ACTIVE (default 20 s). */
  readonly pollSeconds?: number;
  readonly log?: (line: string) => void;
}

export interface RestoredTable {
  readonly targetTable: string;
  /** The moment restored to, as DynamoDB reported it could restore (the latest when no time was asked). */
  readonly restoredTo: Date | 'latest';
  readonly earliest?: Date;
  readonly latest?: Date;
  /** From the request to the table being ACTIVE. */
  readonly seconds: number;
}

export async function restoreToPointInTime(
  client: DynamoDBClient,
  request: PointInTimeRestore,
): Promise<RestoredTable> {
  const log = request.log ?? (() => undefined);
  const { ContinuousBackupsDescription } = await client.send(
    new DescribeContinuousBackupsCommand({ TableName: request.sourceTable }),
  );
  const recovery = ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (recovery?.PointInTimeRecoveryStatus !== 'ENABLED') {
    throw new Error(`point-in-time recovery is not on for ${request.sourceTable}`);
  }
  const earliest = recovery.EarliestRestorableDateTime;
  const latest = recovery.LatestRestorableDateTime;
  if (request.at && ((earliest && request.at < earliest) || (latest && request.at > latest))) {
    throw new Error(
      `${request.sourceTable} can be restored to ${earliest?.toISOString()} … ${latest?.toISOString()}, not ${request.at.toISOString()}`,
    );
  }
  const started = Date.now();
  await client.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: request.sourceTable,
      TargetTableName: request.targetTable,
      ...(request.at ? { RestoreDateTime: request.at } : { UseLatestRestorableTime: true }),
    }),
  );
  log(
    `restoring ${request.sourceTable} to ${request.at?.toISOString() ?? 'its latest restorable time'} into ${request.targetTable}`,
  );
  await waitUntilTableExists(
    {
      client,
      maxWaitTime: request.maxWaitSeconds ?? 6 * 3600,
      minDelay: request.pollSeconds ?? 20,
      maxDelay: Math.max(request.pollSeconds ?? 20, 60),
    },
    { TableName: request.targetTable },
  );
  return {
    targetTable: request.targetTable,
    restoredTo: request.at ?? 'latest',
    earliest,
    latest,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
