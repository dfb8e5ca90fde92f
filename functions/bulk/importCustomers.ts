/**
 * The bulk import core, shared by `npm run import` and the cloud import job's Lambda: turns
 * source records (TMF Customers) into stored customers without one transaction per customer.
 *
 * Per chunk of records: validate each with the same generated validator as POST; read the
 * stored versions (one BatchGetItem); then write in two phases with BatchWriteItem:
 *   1. lookup items: the new values' items put, the old values' items deleted;
 *   2. customer items (the commit point).
 *   3. counts: what the round added to each kept count (all customers, and each indexed value,
 *      from what was stored before), as one counter item per count under a key of its own
 *      (BatchWriteItem cannot ADD, and a key per write means none overwrites another). A caller
 *      importing many chunks gathers the rounds' counts in one PendingCounts and writes them
 *      every so often, so a count busy in every chunk (all customers) gets a few items, not one
 *      per round.
 * A crash between the phases leaves the customer item as it was, so a re-run re-processes the
 * record; once the customer item is written, its lookup items are right. A crash before phase 3,
 * or an API write racing the round, leaves a count off: the recount that ends every import
 * (recount.ts) finds and repairs it, and folds the rounds' counter items into the shards.
 *
 * A record equal to the stored customer is `unchanged` and not written, so re-running a file
 * changes nothing. A different record under an existing id replaces it as a new version.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { config } from '../config.js';
import { TmfError, ValidationError } from '../errors.js';
import { CUSTOMER_TYPE, assertStorable, isObject } from '../domain/customer.js';
import { check } from '../domain/validation.js';
import * as repository from '../repository/customerRepository.js';
import { ulid } from 'ulid';
import {
  ALL_CUSTOMERS,
  importCounterKey,
  isCustomerIdShape,
  lookupEntriesOf,
  lookupItem,
  lookupItemKey,
  toCustomerItem,
  type StoredCustomer,
} from '../repository/customerTable.js';
import type { BatchWriter, WriteRequest } from './batchWriter.js';

/** One source record: its position in the source (line, or item index) and what it parsed to. */
export interface SourceRecord {
  readonly line: number;
  /** Bytes of the file it took (its lines and their line breaks), for progress by what is done. */
  readonly bytes?: number;
  /** The parsed record, or why it could not be parsed. */
  readonly record?: unknown;
  readonly parseError?: string;
}

/** A record that was not imported, as written to the rejects file. */
export interface Reject {
  readonly line: number;
  readonly code: string;
  readonly reason: string;
  readonly message: string;
  readonly id?: string;
}

export interface ImportCounts {
  read: number;
  imported: number;
  replaced: number;
  unchanged: number;
  rejected: number;
}

export const emptyCounts = (): ImportCounts => ({ read: 0, imported: 0, replaced: 0, unchanged: 0, rejected: 0 });

export interface ChunkResult {
  readonly counts: ImportCounts;
  readonly rejects: Reject[];
}

/** What rounds added to each kept count, held until written as one counter item per count. */
export class PendingCounts {
  private deltas = new Map<string, number>();

  add(scope: string, delta: number): void {
    this.deltas.set(scope, (this.deltas.get(scope) ?? 0) + delta);
  }

  /** Counts with something pending. */
  get size(): number {
    return this.deltas.size;
  }

  /** The counter items for everything pending (one key for all of them), forgetting it. */
  take(): WriteRequest[] {
    const taken = this.deltas;
    this.deltas = new Map();
    const batch = ulid();
    return [...taken]
      .filter(([, delta]) => delta !== 0)
      .map(([scope, delta]) => ({ PutRequest: { Item: { ...importCounterKey(scope, batch), count: delta } } }));
  }
}

export interface ImportOptions {
  readonly writer: BatchWriter;
  /**
   * Where the rounds' counts go, for the caller to write (PendingCounts.take) when it chooses;
   * without it each round writes its own counter items after its customers.
   */
  readonly counts?: PendingCounts;
  /** Announce imported customers to hub listeners (default false: items are marked and skipped). */
  readonly notify?: boolean;
  /**
   * Names the source (a file's fingerprint, an S3 object's key and ETag). Each customer item
   * remembers the source and line that last wrote it, so re-running a source in which an id
   * repeats skips the earlier line instead of writing it over the later one.
   */
  readonly source?: string;
}

interface Prepared {
  readonly line: number;
  readonly doc: Record<string, unknown>;
  readonly lookups: string[];
}

/**
 * The id a record without one is given: derived from its content, so a re-run of the same file
 * (even with lines moved) assigns the same id and duplicates nothing. ULID-shaped (26 Crockford
 * base32 characters, the first 0-7), like the ids the API makes.
 */
export function derivedId(record: Record<string, unknown>): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const digest = createHash('sha256').update(JSON.stringify(record), 'utf8').digest();
  let bits = 0n;
  // 128 bits in 26 characters of 5 bits: the first holds only 3 (0-7), as in a ULID.
  for (const byte of digest.subarray(0, 16)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = alphabet[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return id;
}

function rejectOf(line: number, error: TmfError, id?: string): Reject {
  return { line, code: error.code, reason: error.reason, message: error.message, ...(id ? { id } : {}) };
}

/** The stored customer was written by a later line of the same source: this line lost to it. */
function supersededInSource(current: StoredCustomer, source: string | undefined, line: number): boolean {
  if (!source || typeof current.importedFrom !== 'string') return false;
  const at = current.importedFrom.lastIndexOf('#');
  return current.importedFrom.slice(0, at) === source && Number(current.importedFrom.slice(at + 1)) > line;
}

// Loaded on first use, as createCustomer does, and kept for every later record.
let validatorPromise: ReturnType<typeof loadValidator> | undefined;
const loadValidator = () => import('../generated/validateCustomerCreate.cjs');

/** The id a record will be stored under (its own, or the derived one), when it is an object. */
export function recordIdOf(record: unknown): string | undefined {
  if (!isObject(record)) return undefined;
  const { id, href: _href, ...body } = record;
  return typeof id === 'string' ? id : id === undefined ? derivedId(body) : undefined;
}

/** Checks one record as POST would, keeping its id; throws a TmfError naming what is wrong. */
export async function prepareRecord(record: unknown): Promise<Omit<Prepared, 'line'>> {
  if (!isObject(record)) throw new ValidationError('The record must be a JSON object describing a Customer');
  const { id, href: _href, ...body } = record; // href is derived per request, never stored
  if (id !== undefined && (typeof id !== 'string' || !isCustomerIdShape(id))) {
    throw new ValidationError(
      `id: "${String(id).slice(0, 64)}" is not an accepted id (1 to 128 of A-Z a-z 0-9 - . _ ~, starting with a letter or digit)`,
    );
  }
  validatorPromise ??= loadValidator();
  const { validateCustomerCreate } = await validatorPromise;
  check(validateCustomerCreate, body, 'Customer');
  const doc: Record<string, unknown> = {
    id: id ?? derivedId(body),
    ...body,
    '@type': body['@type'] ?? CUSTOMER_TYPE,
  };
  assertStorable(doc);
  return { doc, lookups: lookupEntriesOf(doc, config().lookupAttributes) };
}

/**
 * Imports one chunk of records, in order: when an id repeats within the chunk, the later record
 * is written after the earlier one (a new version of it), as if they came in separate runs.
 */
export async function importChunk(records: readonly SourceRecord[], options: ImportOptions): Promise<ChunkResult> {
  const counts = emptyCounts();
  const rejects: Reject[] = [];
  const prepared: Prepared[] = [];
  for (const source of records) {
    counts.read += 1;
    if (source.parseError !== undefined) {
      rejects.push(rejectOf(source.line, new ValidationError(source.parseError)));
      continue;
    }
    try {
      prepared.push({ line: source.line, ...(await prepareRecord(source.record)) });
    } catch (error) {
      if (!(error instanceof TmfError)) throw error;
      const id = isObject(source.record) && typeof source.record.id === 'string' ? source.record.id : undefined;
      rejects.push(rejectOf(source.line, error, id?.slice(0, 128)));
    }
  }
  counts.rejected = rejects.length;
  // Rounds of distinct ids: the first occurrence of each id, then the second, ...
  const rounds: Prepared[][] = [];
  const occurrences = new Map<string, number>();
  for (const one of prepared) {
    const id = one.doc.id as string;
    const round = occurrences.get(id) ?? 0;
    occurrences.set(id, round + 1);
    (rounds[round] ??= []).push(one);
  }
  for (const round of rounds) await writeRound(round, counts, options);
  return { counts, rejects };
}

async function writeRound(prepared: readonly Prepared[], counts: ImportCounts, options: ImportOptions): Promise<void> {
  const stored = new Map<string, StoredCustomer>(
    (
      await repository.getCustomers(
        prepared.map((p) => p.doc.id as string),
        { consistent: true },
      )
    ).map((s) => [s.doc.id as string, s]),
  );
  const lookupWrites: WriteRequest[] = [];
  const customerWrites: WriteRequest[] = [];
  const pending = options.counts ?? new PendingCounts();
  for (const { doc, lookups, line } of prepared) {
    const id = doc.id as string;
    const current = stored.get(id);
    if (current && (isDeepStrictEqual(current.doc, doc) || supersededInSource(current, options.source, line))) {
      counts.unchanged += 1;
      continue;
    }
    const previous = current?.lookups ?? [];
    if (!current) pending.add(ALL_CUSTOMERS, 1);
    for (const entry of lookups) {
      if (previous.includes(entry)) continue;
      lookupWrites.push({ PutRequest: { Item: lookupItem(id, entry) } });
      pending.add(entry, 1);
    }
    for (const entry of previous) {
      if (lookups.includes(entry)) continue;
      lookupWrites.push({ DeleteRequest: { Key: { ...lookupItemKey(id, entry) } } });
      pending.add(entry, -1);
    }
    const version = (current?.version ?? 0) + 1;
    customerWrites.push({
      PutRequest: {
        Item: toCustomerItem(doc, version, lookups, {
          writtenByImport: !options.notify,
          ...(options.source ? { importedFrom: `${options.source}#${line}` } : {}),
        }),
      },
    });
    if (current) counts.replaced += 1;
    else counts.imported += 1;
  }
  await options.writer.write(lookupWrites);
  await options.writer.write(customerWrites);
  if (!options.counts) await options.writer.write(pending.take());
}

export function addCounts(total: ImportCounts, more: ImportCounts): void {
  for (const key of Object.keys(total) as (keyof ImportCounts)[]) total[key] += more[key];
}
