/**
 * `npm run reindex [-- --table NAME --region R]`: backfills the lookup items and exact counts of
 * the configured indexed attributes (INDEXED_ATTRIBUTES; the running server's when one serves
 * DATA_DIR) for the customers already stored, removes those of attributes no longer configured,
 * and lists customers written before the sharded list index. Safe while the API serves traffic;
 * a run that is stopped can simply be run again.
 */
import { parseCommand, runMain } from './cli/command.js';
import { reindexCustomers } from '../functions/bulk/reindexing.js';
import { progressReporter } from './cli/progress.js';
import { resolveTarget } from './cli/target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const values = parseCommand('reindex', (command) =>
  command
    .description('Backfill the lookup items and counts of the configured indexed attributes (INDEXED_ATTRIBUTES)')
    .option('--table <name>', 'a deployed table (with --region and INDEXED_ATTRIBUTES; default: the local table)')
    .option('--region <region>', "the deployed table's AWS Region")
    .option('--json', 'end with the summary as one JSON line'),
).options as { table?: string; region?: string; json?: boolean };

async function main(): Promise<void> {
  if (values.table !== undefined && process.env.INDEXED_ATTRIBUTES === undefined) {
    throw new Error(
      "set INDEXED_ATTRIBUTES to the deployed stack's indexedAttributes context (empty for none): attributes not named are removed",
    );
  }
  const target = await resolveTarget(values);
  try {
    const { customers } = target;
    const configured = customers.lookupAttributes.filter((a) => !a.builtIn).map((a) => a.attribute);
    console.error(
      `reindex of ${target.description}: configured attributes ${configured.length > 0 ? configured.join(', ') : '(none)'}`,
    );
    const progress = progressReporter({
      label: 'reindex',
      total: await customers.countCustomers(),
      unit: 'customers',
      describe: (p) => `${p.customers} customers examined, ${p.updated} updated`,
    });
    const summary = await reindexCustomers(customers, {
      onProgress: (p) => progress.update(p.customers, { customers: p.customers, updated: p.updated }),
    });
    progress.stop();
    if (values.json) {
      console.log(JSON.stringify(summary));
    } else {
      console.log(
        `reindex of ${target.description}: ${summary.customers} customers, ${summary.updated} updated` +
          (summary.redone > 0 ? ` (${summary.redone} redone after concurrent changes)` : '') +
          `; active: ${summary.active.join(', ') || '(no configured attributes)'}` +
          (summary.removed.length > 0 ? `; removed: ${summary.removed.join(', ')}` : ''),
      );
    }
    if (summary.overLimit.length > 0) {
      console.error(
        `${summary.overLimit.length} customers hold more indexed values than a customer may (e.g. ${summary.overLimit.slice(0, 5).join(', ')}); ` +
          'the configured attributes stay building until they are fixed',
      );
      process.exitCode = 2;
    }
  } finally {
    await target.release();
  }
}

runMain('reindex', async () => {
  await main();
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
});
