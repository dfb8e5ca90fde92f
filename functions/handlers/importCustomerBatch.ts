/**
 * The cloud import job's worker: one Step Functions Distributed Map child batch of NDJSON lines
 * or CSV rows, imported by the same core as `npm run import` (importChunk). Its result (counts
 * and rejects with their line numbers) is what the map's ResultWriter writes back to S3.
 */
import type { Context } from 'aws-lambda';
import { compileHeader } from '../bulk/csvMapping.js';
import { importChunk, type ChunkResult, type SourceRecord } from '../bulk/importCustomers.js';
import { parseCsvRow } from '../bulk/sourceRecords.js';
import { BatchWriter } from '../repository/batchWriter.js';
import { CustomerImportWriter } from '../repository/customerImportWriter.js';
import { lambdaEntry } from './runtime.js';

export interface ImportBatchEvent {
  /** Each item as the map's ItemSelector shapes it: its index in the object, and the item. */
  readonly Items: readonly { readonly index: number; readonly record: unknown }[];
  readonly BatchInput: { readonly format: 'ndjson' | 'csv'; readonly source: string; readonly notify?: boolean };
}

function sourceRecord(format: 'ndjson' | 'csv', index: number, item: unknown): SourceRecord {
  if (format === 'ndjson') return { line: index + 1, record: item };
  // A CSV row arrives as { header: cell }; the header row is line 1.
  const row = (item ?? {}) as Record<string, string>;
  try {
    return parseCsvRow(index + 2, compileHeader(Object.keys(row)), Object.values(row));
  } catch (error) {
    return { line: index + 2, parseError: (error as Error).message };
  }
}

export const handler = lambdaEntry<ImportBatchEvent, ChunkResult>(({ settings, customers, documentClient }) => {
  const batchWriter = new BatchWriter({
    tableName: settings.tableName,
    documentClient,
    maxConcurrency: 8,
  });
  const writer = new CustomerImportWriter(customers, batchWriter, settings.multiRegion?.ownRegion);
  return async (event: ImportBatchEvent, _context: Context) => {
    const { format, source, notify = false } = event.BatchInput;
    const records = event.Items.map(({ index, record }) => sourceRecord(format, index, record));
    return importChunk(records, { writer, notify, source });
  };
});
