/**
 * `npm run export -- <file> [TMF630 query]`: writes every matching customer as one TMF JSON line
 * (NDJSON; `-` writes to standard output), e.g.
 *   npm run export -- approved.ndjson 'status=Approved&fields=name,contactMedium'
 *   --base-url URL           add `href`s under this base URL (default: none, as an import takes them)
 *   --table NAME --region R  a deployed table (default: the local table in DATA_DIR)
 *   --representation v4|v5   which TMF629 version's Customer to write (default v4, what import reads)
 *   --backup                 every customer with its version and write time, for import --restore
 */
import { createWriteStream } from 'node:fs';
import { Option } from 'commander';
import { once } from 'node:events';
import { parseCommand, runMain } from './cli/command.js';
import { callerPath } from './cli/paths.js';
import { progressReporter, perSecond } from './cli/progress.js';
import { backupCustomers } from '../functions/bulk/backup.js';
import { exportCustomers, type ExportRepresentation } from '../functions/bulk/exportCustomers.js';
import { resolveTarget } from './cli/target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { options, args: positionals } = parseCommand('export', (command) =>
  command
    .description('Write every customer a TMF630 query matches as one TMF JSON line (NDJSON)')
    .argument('<file>', 'where to write (- for standard output)')
    .argument('[query]', "a TMF630 query, e.g. 'status=Approved&fields=name,contactMedium'")
    .option('--base-url <url>', 'add hrefs under this base URL (default: none, as an import takes them)')
    .option('--table <name>', 'a deployed table (with --region; default: the local table in DATA_DIR)')
    .option('--region <region>', "the deployed table's AWS Region")
    .addOption(
      new Option('--representation <version>', "which TMF629 version's Customer to write (v4 is what import reads)")
        .choices(['v4', 'v5'])
        .default('v4'),
    )
    .option('--backup', 'every customer with its version and write time (no query), for import --restore'),
);
const values = options as {
  table?: string;
  region?: string;
  baseUrl?: string;
  backup?: boolean;
  representation: ExportRepresentation;
};

/** `a=1&b=2,3` as the list request reads its query: each name with every value it was given. */
function queryParams(query: string): Record<string, string[]> {
  const params: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(query.replace(/^\?/, ''))) (params[name] ??= []).push(value);
  return params;
}

async function main(): Promise<void> {
  const [file = '-', query = ''] = positionals;
  if (values.backup && (query !== '' || values.baseUrl !== undefined || values.representation !== 'v4')) {
    throw new Error('--backup writes every customer as stored: it takes no query, --base-url or --representation');
  }
  const target = await resolveTarget(values);
  try {
    const { customers } = target;
    const out = file === '-' ? process.stdout : createWriteStream(callerPath(file));
    const started = Date.now();
    const reporter = progressReporter({
      label: 'export',
      total: await customers.countCustomers(),
      unit: 'customers',
      describe: (p) => `${p.exported} exported, ${p.rate}/s`,
    });
    const writeLine = async (line: string) => {
      if (!out.write(line)) await once(out, 'drain');
    };
    const summary = values.backup
      ? await backupCustomers(customers, writeLine, (done) =>
          reporter.update(done, { exported: done, rate: perSecond(done, Date.now() - started) }),
        ).then(({ customers: done }) => ({ scanned: done, exported: done }))
      : await exportCustomers(
          customers,
          {
            query: queryParams(query),
            representation: values.representation,
            ...(values.baseUrl ? { baseUrl: values.baseUrl.replace(/\/+$/, '') } : {}),
            onProgress: (scanned, exported) =>
              reporter.update(scanned, { exported, rate: perSecond(scanned, Date.now() - started) }),
          },
          writeLine,
        );
    reporter.stop();
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    const elapsed = Date.now() - started;
    console.error(
      `exported ${summary.exported} of ${summary.scanned} customers from ${target.description} in ` +
        `${(elapsed / 1000).toFixed(1)} s (${perSecond(summary.scanned, elapsed)} customers/s)`,
    );
  } finally {
    await target.release();
  }
}

runMain('export', main);
