/**
 * `npx tsx bin/tmf629.ts <command> [options]` (or `npm run <command>`): every command a user runs,
 * behind one entry with generated help. `--help` lists them; `<command> --help` shows one.
 */
import { Command } from 'commander';

const commands: readonly [name: string, file: string, summary: string][] = [
  ['start', 'start-local.ts', 'serve the API locally over an embedded DynamoDB engine'],
  ['import', 'import.ts', 'bulk-load customers from NDJSON or CSV, then recount'],
  ['export', 'export.ts', 'write the customers a TMF630 query matches as NDJSON'],
  ['recount', 'recount.ts', 'recompute and repair every kept count'],
  ['verify-restore', 'verify-restore.ts', 'check that a table holds what a backup holds'],
  ['restore-table', 'restore-table.ts', 'restore a deployed table to a point in time (drill)'],
  ['failover', 'failover.ts', 'name the Region that takes writes (multi-Region)'],
  ['reindex', 'reindex.ts', 'backfill the configured indexed attributes'],
  ['report', 'report.ts', 'analytics over an export with embedded DuckDB'],
  ['token', 'token.ts', 'a Bearer token for the local server with LOCAL_AUTH'],
  ['listener', 'listener.ts', 'a hub listener that verifies signatures'],
  ['ctk', 'ctk.ts', "our CTK and TM Forum's CTK-Customer-4.0.0 with Newman"],
  ['ctk:fetch', 'ctk-fetch.ts', "fetch TM Forum's kit at the commit CI runs"],
  ['postman', 'postman.ts', 'a Postman collection and environment from the description'],
  ['check-description', 'check-description.ts', "validate and lint a deployment's description"],
];

const program = new Command('tmf629').description('TMF629 Customer Management: the commands of this repository');
for (const [name, file, summary] of commands) {
  // Each runs as its own process (with this one's tsx loader), parsing and documenting its own options.
  program.command(name, summary, { executableFile: file });
}
program.parse();
