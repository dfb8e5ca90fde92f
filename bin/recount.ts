/**
 * `npm run recount [-- --table NAME --region R --json --fold-after N]`: recomputes every kept count (X-Total-Count of
 * the whole list and of each indexed value) from the customers themselves and repairs the ones
 * that drifted. Safe while the API serves traffic: it adds differences, never overwrites.
 */
import { parseArgs } from 'node:util';
import { resolveTarget } from './cli/target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    'fold-after': { type: 'string' },
  },
});

async function main(): Promise<void> {
  const target = await resolveTarget(values);
  try {
    const { recountCustomers } = await import('../functions/bulk/recount.js');
    let lastReport = 0;
    const foldAfter = values['fold-after'] === undefined ? undefined : Number(values['fold-after']);
    if (foldAfter !== undefined && !(Number.isInteger(foldAfter) && foldAfter >= 0)) {
      throw new Error(`--fold-after: expected a whole number of items, got "${values['fold-after']}"`);
    }
    const summary = await recountCustomers({
      ...(foldAfter === undefined ? {} : { foldAfter }),
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`recount failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
