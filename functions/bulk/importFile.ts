/**
 * Runs a bulk import of one file: reads it as a stream, imports chunks of records in parallel
 * (importChunk), writes rejects as it goes, and keeps a checkpoint, so that an interrupted run
 * (Ctrl+C, a crash, a lost connection) resumes where it stopped instead of starting over.
 *
 * The checkpoint names the first line not yet known to be imported: every chunk before it has
 * completed. Chunks after it may have been written too; resuming re-reads them and finds them
 * unchanged, so the table ends as after an uninterrupted run.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import {
  addCounts,
  emptyCounts,
  importChunk,
  PendingCounts,
  recordIdOf,
  type ImportCounts,
  type ImportOptions,
  type Reject,
  type SourceRecord,
} from './importCustomers.js';
import { readSource, type SourceFormat } from './sourceRecords.js';

export interface ImportFileOptions extends ImportOptions {
  readonly path: string;
  readonly format: SourceFormat;
  readonly rejectsPath: string;
  readonly checkpointPath: string;
  /** Records per chunk (one BatchGetItem, then BatchWriteItems). */
  readonly chunkSize?: number;
  /** Chunks in flight at once. */
  readonly parallelChunks?: number;
  /** Stops reading; chunks in flight finish and the checkpoint is kept. */
  readonly signal?: AbortSignal;
}

export interface ImportProgress {
  /** How far the file has been read: ahead of what is written by the chunks in flight. */
  readonly bytesRead: number;
  /** Bytes of the records written (or refused) so far, those of earlier runs included: what progress shows. */
  readonly bytesDone: number;
  readonly totalBytes: number;
  /** Every record handled so far in this run and the runs it resumes. */
  readonly counts: ImportCounts;
  readonly elapsedMs: number;
}

export interface ImportSummary extends ImportProgress {
  /** The line this run resumed from (1 for a fresh run). */
  readonly resumedFromLine: number;
  /** True when stopped by the signal before the end of the file (the checkpoint is kept). */
  readonly interrupted: boolean;
}

interface Checkpoint {
  readonly file: string;
  readonly fingerprint: string;
  readonly nextLine: number;
  readonly counts: ImportCounts;
  readonly elapsedMs: number;
}

/** Size and the first MiB's digest: enough to tell the same file from an edited one. */
async function fingerprintOf(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start: 0, end: 1024 * 1024 - 1 })) hash.update(chunk as Buffer);
  return `${hash.digest('hex').slice(0, 16)}${statSync(path).size.toString(36)}`;
}

function readCheckpoint(path: string, fingerprint: string): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const checkpoint = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    return checkpoint.fingerprint === fingerprint ? checkpoint : undefined;
  } catch {
    return undefined; // unreadable: start over (re-importing is idempotent)
  }
}

function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${path}.tmp`, path); // atomic: a crash never leaves half a checkpoint
}

/** Keeps the rejects of lines before `nextLine` (those after it will be found again). */
function trimRejects(path: string, nextLine: number): void {
  if (!existsSync(path)) return;
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((text) => text !== '' && (JSON.parse(text) as Reject).line < nextLine);
  writeFileSync(path, kept.map((text) => `${text}\n`).join(''));
}

interface Chunk {
  readonly records: SourceRecord[];
  readonly ids: Set<string>;
  lastLine: number;
}

const COUNTS_FLUSH_MS = 30_000;
const COUNTS_FLUSH_SCOPES = 20_000;

export async function importFile(
  options: ImportFileOptions,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportSummary> {
  const chunkSize = options.chunkSize ?? 100;
  const parallelChunks = options.parallelChunks ?? 8;
  const totalBytes = statSync(options.path).size;
  const fingerprint = await fingerprintOf(options.path);
  const resumed = readCheckpoint(options.checkpointPath, fingerprint);
  const fromLine = resumed?.nextLine ?? 1;
  if (resumed) trimRejects(options.rejectsPath, fromLine);
  else writeFileSync(options.rejectsPath, '');

  const started = Date.now() - (resumed?.elapsedMs ?? 0);
  const committed = { ...(resumed?.counts ?? emptyCounts()) }; // chunks before the checkpoint
  const live = { ...committed }; // every completed chunk
  const source: { bytesRead: number; bytesSkipped?: number } = { bytesRead: 0 };
  let bytesWritten = 0; // of the records in completed chunks
  const progress = (): ImportProgress => ({
    bytesRead: source.bytesRead,
    bytesDone: Math.min(totalBytes, (source.bytesSkipped ?? 0) + bytesWritten),
    totalBytes,
    counts: { ...live },
    elapsedMs: Date.now() - started,
  });

  // Chunks complete out of order; the checkpoint moves over the completed prefix only.
  const inFlight = new Map<number, { chunk: Chunk; done: Promise<void> }>();
  const completed = new Map<number, { chunk: Chunk; counts: ImportCounts }>();
  let nextToCommit = 0;
  let nextLine = fromLine;
  let lastCheckpointAt = 0;
  let failure: unknown;
  const checkpoint = (force: boolean) => {
    while (completed.has(nextToCommit)) {
      const { chunk, counts } = completed.get(nextToCommit)!;
      completed.delete(nextToCommit);
      addCounts(committed, counts);
      nextLine = chunk.lastLine + 1;
      nextToCommit += 1;
    }
    if (force || Date.now() - lastCheckpointAt > 1_000) {
      lastCheckpointAt = Date.now();
      writeCheckpoint(options.checkpointPath, {
        file: options.path,
        fingerprint,
        nextLine,
        counts: committed,
        elapsedMs: Date.now() - started,
      });
    }
  };

  // The chunks' counts, written every COUNTS_FLUSH_MS or COUNTS_FLUSH_SCOPES counts, and at the end.
  // A crash loses what was pending; the recount that ends every import command repairs it.
  const counts = new PendingCounts();
  let lastCountsFlushAt = Date.now();
  const flushCounts = async (force: boolean) => {
    if (!force && counts.size < COUNTS_FLUSH_SCOPES && Date.now() - lastCountsFlushAt < COUNTS_FLUSH_MS) return;
    lastCountsFlushAt = Date.now();
    await options.writer.writeCounts(counts);
  };

  const dispatch = async (sequence: number, chunk: Chunk) => {
    // A record whose id is still being written by another chunk waits for it: the later line wins.
    const overlapping = [...inFlight.values()].filter(({ chunk: other }) =>
      [...chunk.ids].some((id) => other.ids.has(id)),
    );
    await Promise.all(overlapping.map(({ done }) => done));
    const done = (async () => {
      try {
        const result = await importChunk(chunk.records, { ...options, counts, source: fingerprint.slice(0, 24) });
        await flushCounts(false);
        if (result.rejects.length > 0) {
          await appendFile(options.rejectsPath, result.rejects.map((r) => `${JSON.stringify(r)}\n`).join(''));
        }
        addCounts(live, result.counts);
        bytesWritten += chunk.records.reduce((sum, record) => sum + (record.bytes ?? 0), 0);
        completed.set(sequence, { chunk, counts: result.counts });
        checkpoint(false);
        onProgress?.(progress());
      } catch (error) {
        failure ??= error;
      } finally {
        inFlight.delete(sequence);
      }
    })();
    inFlight.set(sequence, { chunk, done });
    while (inFlight.size >= parallelChunks) await Promise.race([...inFlight.values()].map(({ done }) => done));
  };

  let sequence = 0;
  let chunk: Chunk = { records: [], ids: new Set(), lastLine: fromLine - 1 };
  let interrupted = false;
  for await (const record of readSource(options.path, options.format, source, fromLine)) {
    if (failure) break;
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    chunk.records.push(record);
    chunk.lastLine = record.line;
    const id = record.record === undefined ? undefined : recordIdOf(record.record);
    if (id !== undefined) chunk.ids.add(id);
    if (chunk.records.length >= chunkSize) {
      await dispatch(sequence++, chunk);
      chunk = { records: [], ids: new Set(), lastLine: chunk.lastLine };
    }
  }
  if (!interrupted && !failure && chunk.records.length > 0) await dispatch(sequence++, chunk);
  await Promise.all([...inFlight.values()].map(({ done }) => done));
  if (failure) {
    checkpoint(true);
    await flushCounts(true).catch(() => undefined); // best effort: the store may be what failed
    throw failure;
  }
  await flushCounts(true);
  checkpoint(true);
  if (!interrupted) {
    rmSync(options.checkpointPath, { force: true });
    // A file that refused nothing leaves no empty rejects file behind.
    if (live.rejected === 0) rmSync(options.rejectsPath, { force: true });
  }
  return {
    ...progress(),
    bytesRead: interrupted ? source.bytesRead : totalBytes,
    bytesDone: interrupted ? progress().bytesDone : totalBytes,
    resumedFromLine: fromLine,
    interrupted,
  };
}
