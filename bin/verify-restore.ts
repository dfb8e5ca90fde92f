/**
 * `npm run verify-restore -- <backup.ndjson> [--sample N] [--table NAME --region R]`: the
 * verification step of a restore drill. Compares a table (the local one in DATA_DIR, or a
 * deployed one) with a backup (`export --backup`): the counts, and for a sample of the backup's
 * customers (every one without --sample) the body, version (the ETag) and write time. Prints each
 * difference; exits 1 when there is any.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { callerPath } from './cli/paths.js';
import { parseCommand, runMain, wholeNumber } from './cli/command.js';
import { resolveTarget } from './cli/target.js';
import { verifyRestore } from '../functions/bulk/verifyRestore.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { options, args } = parseCommand('verify-restore', (command) =>
  command
    .description(
      'Check that a table holds what a backup (export --backup) holds: counts, bodies, versions, write times',
    )
    .argument('<backup>', 'the backup, NDJSON as export --backup writes it')
    .option('--sample <n>', 'compare this many customers, drawn at random (default: every one)', wholeNumber(1))
    .option('--table <name>', 'a deployed table (with --region; default: the local table in DATA_DIR)')
    .option('--region <region>', "the deployed table's AWS Region")
    .option('--json', 'end with the summary as one JSON line'),
);
const values = options as { sample?: number; table?: string; region?: string; json?: boolean };

async function* backupRecords(path: string): AsyncGenerator<unknown> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      yield JSON.parse(text) as unknown;
    } catch {
      throw new Error(`line ${line} of the backup is not JSON`);
    }
  }
}

async function main(): Promise<number> {
  const file = args[0] as string;
  const target = await resolveTarget(values);
  try {
    const result = await verifyRestore(backupRecords(callerPath(file)), target.customers, { sample: values.sample });
    for (const difference of result.differences) console.log(difference);
    console.log(
      `${target.description}: ${result.tableCustomers} customers, the backup ${result.backupCustomers}; ` +
        `${result.compared} compared one by one: ` +
        (result.differences.length === 0
          ? 'the table holds the backup exactly'
          : `${result.differences.length} differences`),
    );
    if (values.json) console.log(JSON.stringify(result));
    return result.differences.length === 0 ? 0 : 1;
  } finally {
    await target.release();
  }
}

runMain('verify-restore', main);
