/**
 * `npm run restore-table -- --table NAME --region R --target NEW [--to ISO-TIME]`: drill (a) of
 * docs/operators.md. Restores a deployed table to a point in time (default: the latest DynamoDB
 * can) into a new table, waits until it is ACTIVE and says how long it took: the table's RTO.
 * Then `npm run verify-restore -- <backup> --table NEW --region R` checks it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from 'commander';
import { parseCommand, runMain, wholeNumber } from './cli/command.js';
import { restoreToPointInTime } from '../functions/repository/pointInTimeRestore.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const instant = (raw: string): Date => {
  const at = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError(`expected an ISO 8601 time such as 2026-12-02T07:30:00Z, got "${raw}"`);
  }
  return at;
};

const values = parseCommand('restore-table', (command) =>
  command
    .description('Restore a deployed table to a point in time, into a new table, and time it')
    .option('--table <name>', 'the table to restore (CustomerTableName output)')
    .option('--region <region>', "the table's AWS Region")
    .option('--target <name>', 'the new table to restore into')
    .option('--to <time>', 'the moment to restore to, ISO 8601 (default: the latest restorable time)', instant)
    .option('--max-wait-seconds <n>', 'how long to wait for the new table (default 21600)', wholeNumber(1))
    .option('--json', 'end with the result as one JSON line'),
).options as { table?: string; region?: string; target?: string; to?: Date; maxWaitSeconds?: number; json?: boolean };

async function main(): Promise<void> {
  if (!values.table || !values.region || !values.target) {
    throw new Error('say --table, --region and --target (the new table)');
  }
  const restored = await restoreToPointInTime(new DynamoDBClient({ region: values.region }), {
    sourceTable: values.table,
    targetTable: values.target,
    at: values.to,
    maxWaitSeconds: values.maxWaitSeconds,
    log: (line) => console.error(line),
  });
  console.log(
    `${values.target} is ACTIVE: ${values.table} as at ${restored.restoredTo === 'latest' ? 'its latest restorable time' : restored.restoredTo.toISOString()}, restored in ${restored.seconds} s`,
  );
  if (values.json) console.log(JSON.stringify(restored));
}

runMain('restore-table', main);
