/**
 * Reads a bulk import source as a stream of records, one at a time, so memory does not grow with
 * the file: NDJSON (one TMF Customer per line) or CSV (a header row of attribute paths, see
 * csvMapping.ts). Each record carries its line number, for the rejects file and for resuming.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsvText } from 'csv-parse/sync';
import { MAX_BODY_BYTES, parseJsonText } from '../domain/untrustedJson.js';
import { CsvMappingError, compileHeader, rowToRecord, type CsvHeader } from './csvMapping.js';
import type { SourceRecord } from './importCustomers.js';

export type SourceFormat = 'ndjson' | 'csv';

export function formatOf(path: string, given?: string): SourceFormat {
  const format = given ?? (/\.csv$/i.test(path) ? 'csv' : 'ndjson');
  if (format !== 'ndjson' && format !== 'csv') throw new Error(`--format must be ndjson or csv, got "${format}"`);
  return format;
}

/** Parses one NDJSON line as POST parses a body. */
export function parseNdjsonLine(line: number, text: string): SourceRecord {
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    return { line, parseError: `The record is larger than ${MAX_BODY_BYTES} bytes` };
  }
  try {
    return { line, record: parseJsonText(text, 'The record') };
  } catch (error) {
    return { line, parseError: (error as Error).message };
  }
}

/** Maps one CSV row (after the header) to a record. */
export function parseCsvRow(line: number, header: CsvHeader, cells: readonly string[]): SourceRecord {
  if (cells.length !== header.columns.length) {
    return { line, parseError: `The row has ${cells.length} cells; the header names ${header.columns.length}` };
  }
  try {
    return { line, record: rowToRecord(header, cells) };
  } catch (error) {
    if (error instanceof CsvMappingError) return { line, parseError: error.message };
    throw error;
  }
}

export interface SourceProgress {
  /** Bytes of the file read so far (ahead of what is written). */
  bytesRead: number;
  /** Bytes of the lines skipped because an earlier run imported them (resuming). */
  bytesSkipped?: number;
}

/** Bytes a line took in the file, with its line break (CRLF files count one byte short a line). */
const lineBytes = (text: string) => Buffer.byteLength(text, 'utf8') + 1;

/**
 * The records of a file from line `fromLine` on (earlier ones are read and skipped: resuming
 * re-reads, it does not re-write). `progress.bytesRead` follows the read position.
 */
export async function* readSource(
  path: string,
  format: SourceFormat,
  progress: SourceProgress,
  fromLine = 1,
): AsyncGenerator<SourceRecord> {
  const stream = createReadStream(path);
  stream.on('data', (chunk) => (progress.bytesRead += chunk.length));
  if (format === 'ndjson') {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (line < fromLine) {
        progress.bytesSkipped = (progress.bytesSkipped ?? 0) + lineBytes(text);
        continue;
      }
      if (text.trim() === '') continue;
      yield { ...parseNdjsonLine(line, text), bytes: lineBytes(text) };
    }
    return;
  }
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let header: CsvHeader | undefined;
  for await (const row of csvRecords(lines)) {
    if (!header) {
      if ('error' in row) throw new Error(`The header row cannot be read: ${row.error}`);
      header = compileHeader(row.cells.map((cell) => cell.trim())); // a bad header stops the import: nothing maps
      continue;
    }
    if (row.line < fromLine) {
      progress.bytesSkipped = (progress.bytesSkipped ?? 0) + row.bytes;
      continue;
    }
    const parsed =
      'error' in row ? { line: row.line, parseError: row.error } : parseCsvRow(row.line, header, row.cells);
    yield { ...parsed, bytes: row.bytes };
  }
}

/** A quoted field may span lines, but a record no longer than this: past it, its first line is rejected. */
export const MAX_CSV_RECORD_LINES = 1000;

/** A CSV record with the line it starts on and the bytes its lines took. */
export type CsvRecord = { line: number; bytes: number } & ({ cells: string[] } | { error: string });

/**
 * Splits CSV lines into records, each parsed on its own, so that one bad row is rejected alone
 * with its line and reason and the import goes on. A record ends at a line break outside quotes
 * (an even count of `"` so far, as RFC 4180 doubles quotes inside quoted fields); a quote left open
 * to the end of the file, or for more than MAX_CSV_RECORD_LINES lines or MAX_BODY_BYTES, rejects
 * the record's first line only, and reading starts again at the line after it.
 */
export async function* csvRecords(lines: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  type Line = { line: number; text: string };
  // The record being read, with its running quote count and length: each line is counted once
  // as it joins, not again for every line after it.
  let pending: Line[] = [];
  let quotes = 0;
  let length = 0;
  /** Lines to read: the file's next line, or those after a rejected first line, read again. */
  const toRead: Line[] = [];
  const take = () => {
    const taken = pending;
    pending = [];
    quotes = 0;
    length = 0;
    return taken;
  };
  function* parsed(taken: Line[]): Generator<CsvRecord> {
    const start = taken[0] as Line;
    const bytes = taken.reduce((sum, entry) => sum + lineBytes(entry.text), 0);
    const text = taken.map((entry) => entry.text).join('\n');
    if (text.trim() === '') return;
    try {
      const rows = parseCsvText(text, { relax_column_count: true, max_record_size: MAX_BODY_BYTES }) as string[][];
      for (const [i, cells] of rows.entries()) yield { line: start.line, bytes: i === 0 ? bytes : 0, cells };
    } catch (error) {
      yield { line: start.line, bytes, error: `The row is not valid CSV: ${(error as Error).message.slice(0, 200)}` };
    }
  }
  function* rejectFirstLine(): Generator<CsvRecord> {
    const [first, ...rest] = take() as [Line, ...Line[]];
    toRead.unshift(...rest);
    yield {
      line: first.line,
      bytes: lineBytes(first.text),
      error: 'A quoted cell is never closed on this row (an unterminated quote)',
    };
  }
  function* read(): Generator<CsvRecord> {
    for (let entry = toRead.shift(); entry !== undefined; entry = toRead.shift()) {
      pending.push(entry);
      quotes += entry.text.split('"').length - 1;
      length += entry.text.length + 1;
      if (quotes % 2 === 0) yield* parsed(take());
      else if (pending.length >= MAX_CSV_RECORD_LINES || length > MAX_BODY_BYTES) yield* rejectFirstLine();
    }
  }
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber += 1;
    toRead.push({ line: lineNumber, text: lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw });
    yield* read();
  }
  // A quote still open at the end of the file: its first line is rejected, the rest read again.
  while (pending.length > 0) {
    yield* rejectFirstLine();
    yield* read();
  }
}
