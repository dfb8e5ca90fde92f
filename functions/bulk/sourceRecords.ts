/**
 * Reads a bulk import source as a stream of records, one at a time, so memory does not grow with
 * the file: NDJSON (one TMF Customer per line) or CSV (a header row of attribute paths, see
 * csvMapping.ts). Each record carries its line number, for the rejects file and for resuming.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { MAX_BODY_BYTES, parseJsonText } from '../http/request.js';
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
  /** Bytes of the file read so far. */
  bytesRead: number;
}

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
      if (line < fromLine || text.trim() === '') continue;
      yield parseNdjsonLine(line, text);
    }
    return;
  }
  const parser = stream.pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_BODY_BYTES }),
  );
  let header: CsvHeader | undefined;
  for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = compileHeader(cells.map((cell) => cell.trim())); // a bad header stops the import: nothing maps
      continue;
    }
    if (info.lines < fromLine) continue;
    yield parseCsvRow(info.lines, header, cells);
  }
}
