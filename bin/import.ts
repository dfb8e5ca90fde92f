/**
 * `npm run import -- <file> [options]`: bulk-loads TMF Customers (NDJSON, or CSV with attribute
 * paths as headers) into the customer table, then recomputes the counts.
 *
 *   --format ndjson|csv      default: from the file name (.csv is CSV, anything else NDJSON)
 *   --rejects FILE           where refused records go (default <file>.rejects.ndjson)
 *   --checkpoint FILE        resume state (default <file>.checkpoint.json; removed when done)
 *   --notify                 announce imported customers to hub listeners (default: not)
 *   --table NAME --region R  a deployed table (default: the local table in DATA_DIR)
 *   --json                   end with the summary as one JSON line
 * Progress follows the records written (not the bytes read ahead of them), then the recount's
 * own bar; off a terminal, a line every PROGRESS_INTERVAL_MS (default 5000).
 * Ctrl+C stops reading, lets the writes in flight finish and keeps the checkpoint: the same
 * command resumes from there.
 */
import { Option } from 'commander';
import { callerPath } from './cli/paths.js';
import { parseCommand, runMain, wholeNumber } from './cli/command.js';
import { progressReporter, perSecond } from './cli/progress.js';
import { resolveTarget } from './cli/target.js';
import { importFile } from '../functions/bulk/importFile.js';
import { recountCustomers } from '../functions/bulk/recounting.js';
import { BatchWriter } from '../functions/repository/batchWriter.js';
import { CustomerImportWriter } from '../functions/repository/customerImportWriter.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface ImportCommandOptions {
  format?: string;
  restore?: boolean;
  representation: 'v4' | 'v5';
  rejects?: string;
  checkpoint?: string;
  notify: boolean;
  table?: string;
  region?: string;
  json: boolean;
  chunkSize: number;
  parallel: number;
}

const { options, args } = parseCommand('import', (command) =>
  command
    .description('Bulk-load TMF Customers (NDJSON, or CSV with attribute paths as headers), then recount')
    .argument('<file>', 'the customers: .ndjson (one per line) or .csv')
    .option('--format <format>', 'ndjson or csv (default: from the file name)')
    .option('--rejects <file>', 'where refused records go (default: <file>.rejects.ndjson)')
    .option('--checkpoint <file>', 'resume state (default: <file>.checkpoint.json; removed when done)')
    .option('--notify', 'announce imported customers to hub listeners', false)
    .option(
      '--restore',
      "the file is a backup (export --backup): keep each customer's version and write time, so ETags stay valid",
      false,
    )
    .addOption(
      new Option('--representation <version>', "which TMF629 version's Customer the records are")
        .choices(['v4', 'v5'])
        .default('v4'),
    )
    .option('--table <name>', 'a deployed table (with --region; default: the local table in DATA_DIR)')
    .option('--region <region>', "the deployed table's AWS Region")
    .option('--json', 'end with the summary as one JSON line', false)
    .option('--chunk-size <n>', 'records per chunk', wholeNumber(1), 100)
    .option('--parallel <n>', 'chunks in flight', wholeNumber(1), 8),
);
const values = options as unknown as ImportCommandOptions;

const commandStarted = Date.now();
/** Off a terminal, how often a progress line is printed (PROGRESS_INTERVAL_MS, default 5 s). */
const progressIntervalMs = Number(process.env.PROGRESS_INTERVAL_MS ?? 5_000);

async function main(): Promise<number> {
  const file = args[0] as string;
  const path = callerPath(file);
  const { formatOf } = await import('../functions/bulk/sourceRecords.js');
  const format = formatOf(path, values.format);
  if (values.restore && format !== 'ndjson')
    throw new Error('--restore reads a backup, which is NDJSON (export --backup)');
  if (values.restore && values.representation !== 'v4')
    throw new Error('--restore reads a backup, which holds each customer as stored: it takes no --representation');
  const chunkSize = values.chunkSize;
  const parallelChunks = values.parallel;
  const target = await resolveTarget(values);
  try {
    const { customers } = target;
    const { documentClient } = target.runtime;
    const rejectsPath = values.rejects ? callerPath(values.rejects) : `${path}.rejects.ndjson`;
    const checkpointPath = values.checkpoint ? callerPath(values.checkpoint) : `${path}.checkpoint.json`;
    const aborter = new AbortController();
    const interrupt = () => {
      if (aborter.signal.aborted) return;
      console.error('\nstopping: writes in flight finish, the checkpoint is kept; run the same command to resume');
      aborter.abort();
    };
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);

    console.error(
      `importing ${file} (${format}) into ${target.description}${values.notify ? ', notifying hub listeners' : ''}`,
    );
    const writer = new CustomerImportWriter(
      customers,
      new BatchWriter({ tableName: target.tableName, documentClient }),
      target.runtime.settings.multiRegion?.ownRegion,
    );
    let reporter: ReturnType<typeof progressReporter> | undefined;
    const summary = await importFile(
      {
        path,
        format,
        rejectsPath,
        checkpointPath,
        chunkSize,
        parallelChunks,
        writer,
        notify: values.notify,
        restore: values.restore,
        representation: values.representation,
        signal: aborter.signal,
      },
      (progress) => {
        // The bar follows what is written, not what is read ahead of the chunks in flight.
        reporter ??= progressReporter({
          label: 'import',
          total: progress.totalBytes,
          unit: 'bytes written',
          intervalMs: progressIntervalMs,
          describe: (p) => `${p.done} records done, ${p.rate}/s, ${p.rejected} rejected`,
        });
        const done = progress.counts.read;
        reporter.update(progress.bytesDone, {
          done,
          rejected: progress.counts.rejected,
          rate: perSecond(done, progress.elapsedMs),
        });
      },
    );
    reporter?.stop();
    const { counts, elapsedMs } = summary;
    const resumed = summary.resumedFromLine > 1 ? ` (resumed at line ${summary.resumedFromLine})` : '';
    console.log(
      `read ${counts.read}, imported ${counts.imported}, replaced ${counts.replaced}, unchanged ${counts.unchanged}, ` +
        `rejected ${counts.rejected}, written in ${(elapsedMs / 1000).toFixed(1)} s, ${perSecond(counts.read, elapsedMs)} records/s${resumed}`,
    );
    if (counts.rejected > 0) console.log(`rejected records (line, code, message): ${rejectsPath}`);
    if (summary.interrupted) {
      console.log(`interrupted: checkpoint kept in ${checkpointPath}; run the same command to resume`);
      if (values.json) console.log(JSON.stringify({ ...counts, elapsedMs, interrupted: true, rejectsPath }));
      return 130;
    }
    // Peak resident memory (KiB) of the streaming import, then of the whole command: the recount
    // holds one number per distinct indexed value, so it grows with those, not with the file.
    const importPeakRssKiB = process.resourceUsage().maxRSS;
    // The recount reads every customer once: its own bar, over about as many as the table now holds.
    const expected = Math.max(1, (await customers.countCustomers()) + counts.imported);
    console.error(`recounting: every kept count from the customers themselves (about ${expected} to read)`);
    const recountStarted = Date.now();
    const recountBar = progressReporter({
      label: 'recount',
      total: expected,
      unit: 'customers counted',
      intervalMs: progressIntervalMs,
      describe: (p) => `pass ${p.pass}, ${p.counted} counted, ${p.rate}/s`,
    });
    const recount = await recountCustomers(customers, {
      onProgress: (counted, pass) =>
        recountBar.update(counted, { pass, counted, rate: perSecond(counted, Date.now() - recountStarted) }),
    });
    recountBar.stop();
    const recountMs = Date.now() - recountStarted;
    console.log(
      `counts recomputed: ${recount.customers} customers, ${recount.scopes} counts checked, ${recount.corrected} corrected, ${recount.folded} import-round counter item(s) folded, in ${(recountMs / 1000).toFixed(1)} s`,
    );
    console.log(`done in ${((Date.now() - commandStarted) / 1000).toFixed(1)} s (wall clock: writing and recount)`);
    if (values.json) {
      const peakRssKiB = process.resourceUsage().maxRSS;
      console.log(
        JSON.stringify({
          ...counts,
          elapsedMs,
          interrupted: false,
          rejectsPath,
          recount: { ...recount, elapsedMs: recountMs },
          importPeakRssKiB,
          peakRssKiB,
        }),
      );
    }
    return 0;
  } finally {
    await target.release();
  }
}

runMain('import', main);
