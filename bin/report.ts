/**
 * `npm run report -- <export.ndjson> [out-dir]`: answers the analytics questions (the same ones
 * the stack's Athena named queries ask) with DuckDB, embedded and offline, over an
 * `npm run export` file, and writes each answer as CSV and JSON plus a bar chart (SVG and PNG).
 * Default out-dir: ./report.
 */
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeChart } from '../bench/chart.js';
import { parseCommand, runMain } from './cli/command.js';
import { callerPath } from './cli/paths.js';
import { analyticsQuestions, duckdbSql } from '../functions/bulk/analyticsQueries.js';
import { csvCell } from '../functions/bulk/csvMapping.js';

/**
 * A copy of an export that any JSON reader takes: each line re-serialised with ill-formed Unicode
 * (a lone surrogate, which DuckDB refuses for the whole file) replaced by U+FFFD, and lines that
 * are no JSON object at all left out and counted. The report then survives any exported line.
 */
async function readableCopy(file: string, copy: string): Promise<{ lines: number; skipped: number[] }> {
  const out = createWriteStream(copy);
  const skipped: number[] = [];
  let lines = 0;
  const wellFormed = (_key: string, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value);
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    lines += 1;
    if (text.trim() === '') continue;
    let line: string;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      line = JSON.stringify(parsed, wellFormed);
    } catch {
      skipped.push(lines);
      continue;
    }
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { lines, skipped };
}

const { args } = parseCommand('report', (command) =>
  command
    .description('Answer the analytics questions over an export with embedded DuckDB: CSV, JSON and charts')
    .argument('<export>', 'an `npm run export` file')
    .argument('[out-dir]', 'where the answers go', 'report'),
);

async function main(): Promise<void> {
  const [file = '', outDir = 'report'] = args;
  const out = callerPath(outDir);
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'tmf629-report-'));
  const copy = join(work, 'customers.ndjson');
  const { skipped } = await readableCopy(callerPath(file), copy);
  if (skipped.length > 0) {
    console.error(
      `left out ${skipped.length} line(s) that are not JSON objects: ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ', ...' : ''}`,
    );
  }
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  for (const question of analyticsQuestions) {
    const reader = await connection.runAndReadAll(duckdbSql(question, copy));
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
      [`${question.label},customers`, ...rows.map((row) => `${csvCell(label(row))},${count(row)}`)].join('\n') + '\n',
    );
    writeChart(join(out, question.name), {
      title: question.title,
      groups: rows.map(label),
      series: [{ label: 'customers', values: rows.map(count) }],
      unit: 'customers',
      integers: true,
    });
    console.log(`${question.title}:`);
    for (const row of rows) console.log(`  ${label(row).padEnd(24)} ${count(row)}`);
  }
  connection.closeSync();
  rmSync(work, { recursive: true, force: true });
  console.log(`answers and charts in ${out}`);
}

runMain('report', main);
