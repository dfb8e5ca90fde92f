/**
 * Bulk import and export at BENCH_BULK_SIZES customers (default 10000,100000), each beside the
 * bare engine in the same run on the same machine:
 *   import rate  `npm run import` (validation, reads of stored versions, three write phases)
 *                vs bare BatchWriteItem of the same items (customers, lookups, and a counter item
 *                per count per 100 customers, as the import writes them; 16 calls in flight),
 *                on fresh tables
 *   export rate  `npm run export` (parse, TMF630 match, JSON lines to a file)
 *                vs a bare parallel Scan of the same table (8 segments)
 *   recount      the count check that ends an import (every pass over the table, projected to
 *                keys, lookups and counts, and the fold of import-round counter items) vs the
 *                same bare parallel Scan
 *   memory       peak RSS of the import process per size: while importing (flat = streaming),
 *                and with the recount that follows (one number per distinct indexed value)
 * Results: bench/results/bulk.json, bulk.md and bulk.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ensureTable, startEngine } from '../local/engine.js';
import { ALL_CUSTOMERS, importCounterKey, lookupItem, toCustomerItem } from '../functions/repository/customerTable.js';
import { BUILT_IN_LOOKUP_ATTRIBUTES, lookupEntriesOf } from '../functions/domain/lookupAttributes.js';
import { writeChart } from './chart.js';

const sizes = (process.env.BENCH_BULK_SIZES ?? '10000,100000').split(',').map(Number);
const TABLE = 'tmf629-customer';
const results = join(import.meta.dirname, 'results');

function customer(i: number) {
  return {
    id: `BENCH-${String(i).padStart(8, '0')}`,
    name: `Bench customer ${i}`,
    status: i % 4 === 0 ? 'Pending' : 'Approved',
    engagedParty: { '@referredType': 'Organization', id: `party-${i % 97}` },
    contactMedium: [{ mediumType: 'email', characteristic: { emailAddress: `bench.${i}@example.com` } }],
    validFor: { startDateTime: `2026-${String((i % 12) + 1).padStart(2, '0')}-01T00:00:00Z` },
  };
}

async function bareImport(dataDir: string, count: number): Promise<number> {
  const engine = await startEngine({ dataDir });
  await ensureTable(engine.client, TABLE);
  const started = Date.now();
  let next = 0;
  const requests = function* () {
    let counts = new Map<string, number>();
    const add = (scope: string) => counts.set(scope, (counts.get(scope) ?? 0) + 1);
    for (; next < count; next++) {
      const doc = { ...customer(next), '@type': 'Customer' };
      const lookups = lookupEntriesOf(doc, BUILT_IN_LOOKUP_ATTRIBUTES);
      yield { PutRequest: { Item: marshall(toCustomerItem(doc, 1, lookups)) } };
      for (const entry of lookups) yield { PutRequest: { Item: marshall(lookupItem(doc.id, entry)) } };
      add(ALL_CUSTOMERS);
      for (const entry of lookups) add(entry);
      // The import's rounds are its chunks (100 records): one counter item per count per round.
      if ((next + 1) % 100 === 0 || next + 1 === count) {
        for (const [scope, n] of counts) {
          yield { PutRequest: { Item: marshall({ ...importCounterKey(scope, String(next)), count: n }) } };
        }
        counts = new Map();
      }
    }
  };
  const source = requests();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (;;) {
        const batch = [];
        for (let i = 0; i < 25; i++) {
          const item = source.next();
          if (item.done) break;
          batch.push(item.value);
        }
        if (batch.length === 0) return;
        let pending: typeof batch | undefined = batch;
        while (pending && pending.length > 0) {
          const out = await engine.client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }));
          pending = out.UnprocessedItems?.[TABLE] as typeof batch | undefined;
        }
      }
    }),
  );
  const elapsed = Date.now() - started;
  await engine.stop();
  return (count * 1000) / elapsed;
}

async function bareScan(dataDir: string): Promise<{ rate: number; items: number }> {
  const engine = await startEngine({ dataDir });
  const started = Date.now();
  let customers = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, segment) => {
      let startKey: ScanCommandOutput['LastEvaluatedKey'];
      do {
        const page = await engine.client.send(
          new ScanCommand({ TableName: TABLE, Segment: segment, TotalSegments: 8, ExclusiveStartKey: startKey }),
        );
        customers += (page.Items ?? []).filter((item) => item.sk?.S === 'CUSTOMER').length;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  const elapsed = Date.now() - started;
  await engine.stop();
  return { rate: (customers * 1000) / elapsed, items: customers };
}

function cli(args: string[], dataDir: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, CI: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

interface BulkRow {
  customers: number;
  importRate: number;
  bareBatchWriteRate: number;
  importRatio: number;
  exportRate: number;
  bareScanRate: number;
  exportRatio: number;
  recountRate: number;
  recountPasses: number;
  recountRatio: number;
  importPeakRssMiB: number;
  withRecountPeakRssMiB: number;
}

const rows: BulkRow[] = [];
for (const size of sizes) {
  const work = mkdtempSync(join(tmpdir(), 'tmf629-bulk-bench-'));
  const file = join(work, 'customers.ndjson');
  writeFileSync(file, Array.from({ length: size }, (_, i) => JSON.stringify(customer(i))).join('\n') + '\n');
  const bareImportRate = await bareImport(join(work, 'bare'), size);
  const summary = JSON.parse(
    cli(['bin/import.ts', file, '--json'], join(work, 'import')).stdout.trim().split('\n').at(-1) ?? '{}',
  );
  const importRate = (summary.read * 1000) / summary.elapsedMs;
  const exported = cli(['bin/export.ts', join(work, 'export.ndjson')], join(work, 'import')).stderr;
  const exportRate = Number(/\((\d+) customers\/s\)/.exec(exported)?.[1]);
  const scan = await bareScan(join(work, 'import'));
  const row: BulkRow = {
    customers: size,
    importRate: Math.round(importRate),
    bareBatchWriteRate: Math.round(bareImportRate),
    importRatio: Number((importRate / bareImportRate).toFixed(2)),
    exportRate,
    bareScanRate: Math.round(scan.rate),
    exportRatio: Number((exportRate / scan.rate).toFixed(2)),
    // Customers recounted per second of the whole recount, all its passes included.
    recountRate: Math.round((summary.recount.customers * 1000) / summary.recount.elapsedMs),
    recountPasses: summary.recount.passes,
    recountRatio: Number(((summary.recount.customers * 1000) / summary.recount.elapsedMs / scan.rate).toFixed(2)),
    importPeakRssMiB: Math.round(summary.importPeakRssKiB / 1024),
    withRecountPeakRssMiB: Math.round(summary.peakRssKiB / 1024),
  };
  console.log(row);
  rows.push(row);
  rmSync(work, { recursive: true, force: true });
}
const ratio = (pick: (row: BulkRow) => number) => (rows.length > 1 ? pick(rows.at(-1)!) / pick(rows[0]!) : 1);
const memoryRatio = ratio((r) => r.importPeakRssMiB);
const withRecountRatio = ratio((r) => r.withRecountPeakRssMiB);
writeFileSync(join(results, 'bulk.json'), `${JSON.stringify({ rows, memoryRatio, withRecountRatio }, null, 2)}\n`);
writeFileSync(
  join(results, 'bulk.md'),
  [
    '# Bulk import and export (DynamoDB Local, same run, same machine)',
    '',
    '| customers | import /s | bare BatchWriteItem /s | ratio | export /s | bare parallel Scan /s | ratio | recount /s (passes) | ratio | peak RSS importing | with the recount |',
    '| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...rows.map(
      (r) =>
        `| ${r.customers} | ${r.importRate} | ${r.bareBatchWriteRate} | ${r.importRatio}x | ${r.exportRate} | ${r.bareScanRate} | ${r.exportRatio}x | ${r.recountRate} (${r.recountPasses}) | ${r.recountRatio}x | ${r.importPeakRssMiB} MiB | ${r.withRecountPeakRssMiB} MiB |`,
    ),
    '',
    'The recount rate counts customers per second of the whole recount that ends an import, every pass included (a pass that corrected something is followed by one that checks).',
    '',
    `Peak memory, largest vs smallest size: ${memoryRatio.toFixed(2)}x while importing (the file is streamed), ` +
      `${withRecountRatio.toFixed(2)}x with the recount (one number per distinct indexed value: here every name and email is distinct).`,
    '',
  ].join('\n'),
);
writeChart(join(results, 'bulk'), {
  title: 'Bulk import and export vs the bare engine (records/s)',
  groups: rows.map((r) => `${r.customers} customers`),
  series: [
    { label: 'npm run import', values: rows.map((r) => r.importRate) },
    { label: 'bare BatchWriteItem', values: rows.map((r) => r.bareBatchWriteRate) },
    { label: 'npm run export', values: rows.map((r) => r.exportRate) },
    { label: 'bare parallel Scan', values: rows.map((r) => r.bareScanRate) },
  ],
  unit: 'records/s',
});
