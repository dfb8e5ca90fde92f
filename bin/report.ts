/**
 * `npm run report -- <export.ndjson> [out-dir]`: answers the analytics questions (the same ones
 * the stack's Athena named queries ask) with DuckDB, embedded and offline, over an
 * `npm run export` file, and writes each answer as CSV and JSON plus a bar chart (SVG and PNG).
 * Default out-dir: ./report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeChart } from '../bench/chart.js';
import { callerPath } from './cli/paths.js';
import { analyticsQuestions, duckdbSql } from '../functions/bulk/analyticsQueries.js';

async function main(): Promise<void> {
  const [file, outDir = 'report'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npm run report -- <export.ndjson> [out-dir]   (make the file with npm run export)');
    process.exitCode = 2;
    return;
  }
  const out = callerPath(outDir);
  mkdirSync(out, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  for (const question of analyticsQuestions) {
    const reader = await connection.runAndReadAll(duckdbSql(question, callerPath(file)));
    // COUNT(*) is a BIGINT, which DuckDB's JSON form gives as a string: counts here fit a number.
    const rows = (reader.getRowObjectsJson() as Record<string, string | number>[]).map((row) => ({
      [question.label]: String(row[question.label]),
      customers: Number(row.customers),
    }));
    const label = (row: Record<string, string | number>) => String(row[question.label]);
    const count = (row: Record<string, string | number>) => Number(row.customers);
    writeFileSync(join(out, `${question.name}.json`), `${JSON.stringify(rows, null, 2)}\n`);
    writeFileSync(
      join(out, `${question.name}.csv`),
      [`${question.label},customers`, ...rows.map((row) => `"${label(row).replace(/"/g, '""')}",${count(row)}`)].join(
        '\n',
      ) + '\n',
    );
    writeChart(join(out, question.name), {
      title: question.title,
      groups: rows.map(label),
      series: [{ label: 'customers', values: rows.map(count) }],
      unit: 'customers',
    });
    console.log(`${question.title}:`);
    for (const row of rows) console.log(`  ${label(row).padEnd(24)} ${count(row)}`);
  }
  connection.closeSync();
  console.log(`answers and charts in ${out}`);
}

main().catch((error: unknown) => {
  console.error(`report failed: ${(error as Error).message}`);
  process.exit(1);
});
