/**
 * `npm run recount [-- --table NAME --region R --json --fold-after N]`: recomputes every kept count (X-Total-Count of
 * the whole list and of each indexed value) from the customers themselves and repairs the ones
 * that drifted. Safe while the API serves traffic: it adds differences, never overwrites.
 */
import { parseCommand, runMain, wholeNumber } from './cli/command.js';
import { recountCustomers } from '../functions/bulk/recounting.js';
import { resolveTarget } from './cli/target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const values = parseCommand('recount', (command) =>
  command
    .description('Recompute every kept count from the customers themselves and repair those that drifted')
    .option('--table <name>', 'a deployed table (with --region; default: the local table in DATA_DIR)')
    .option('--region <region>', "the deployed table's AWS Region")
    .option('--json', 'end with the summary as one JSON line')
    .option(
      '--fold-after <n>',
      'fold the import counter items of each count holding more than n (default 32)',
      wholeNumber(0),
    ),
).options as { table?: string; region?: string; json?: boolean; foldAfter?: number };

async function main(): Promise<void> {
  const target = await resolveTarget(values);
  try {
    let lastReport = 0;
    const summary = await recountCustomers(target.customers, {
      foldAfter: values.foldAfter,
      onProgress: (customers, pass) => {
        if (Date.now() - lastReport < 5_000) return;
        lastReport = Date.now();
        console.error(`recount pass ${pass}: ${customers} customers counted`);
      },
    });
    console.log(
      `recount of ${target.description}: ${summary.customers} customers, ${summary.scopes} counts checked, ` +
        `${summary.corrected} corrected in ${summary.passes} pass(es), ${summary.folded} import-round counter item(s) folded`,
    );
    if (values.json) console.log(JSON.stringify(summary));
  } finally {
    await target.release();
  }
}

runMain('recount', main);
