/**
 * The bulk import core, shared by `npm run import` and the cloud import job's Lambda: turns
 * source records (TMF Customers) into stored customers without one transaction per customer.
 *
 * Per chunk of records: validate each with the same generated validator as POST, then write
 * them in rounds of distinct ids through the repository's CustomerImportWriter (lookup items,
 * customer items, counts: see customerImportWriter.ts for the phases and what a crash leaves).
 *
 * A record equal to the stored customer is `unchanged` and not written, so re-running a file
 * changes nothing. A different record under an existing id replaces it as a new version.
 */
import { createHash } from 'node:crypto';
import { TmfError, ValidationError } from '../errors.js';
import { storedFromV5Create } from '../domain/v5/customerV5.js';
import { CUSTOMER_TYPE, assertStorable, isObject, type StorageLimits } from '../domain/customer.js';
import type { CustomerDocument } from '../domain/ports.js';
import { backupLineOf, looksLikeBackupLine } from './backup.js';
import { check } from '../domain/validation.js';
import { isCustomerIdShape, lookupEntriesOf } from '../domain/lookupAttributes.js';
import type {
  CustomerImportWriter,
  ImportedRecord,
  PendingCounts,
  RoundOptions,
} from '../repository/customerImportWriter.js';

export { PendingCounts } from '../repository/customerImportWriter.js';

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

/**
 * `source` names the source (a file's fingerprint, an S3 object's key and ETag): each customer
 * item remembers the source and line that last wrote it, so re-running a source in which an id
 * repeats skips the earlier line instead of writing it over the later one.
 */
export interface ImportOptions extends RoundOptions {
  readonly writer: CustomerImportWriter;
  readonly counts?: PendingCounts;
  /**
   * Records are backup lines (`npm run export -- --backup`): each customer is written with the
   * version and write time it had, exactly (see backup.ts).
   */
  readonly restore?: boolean;
  /**
   * Which TMF629 version's Customer the records are (v4 by default; v5 as `export
   * --representation v5` writes them), checked as that version's create checks them.
   */
  readonly representation?: 'v4' | 'v5';
}

type Prepared = ImportedRecord;

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

// Loaded on first use, as createCustomer does, and kept for every later record.
let validatorPromise: ReturnType<typeof loadValidator> | undefined;
const loadValidator = () => import('../generated/validateCustomerCreate.cjs');

/** The id a record will be stored under (its own, or the derived one), when it is an object. */
export function recordIdOf(record: unknown): string | undefined {
  if (looksLikeBackupLine(record)) return typeof record.customer.id === 'string' ? record.customer.id : undefined;
  if (!isObject(record)) return undefined;
  const { id, href: _href, ...body } = record;
  return typeof id === 'string' ? id : id === undefined ? derivedId(body) : undefined;
}

/** Checks one record as POST would, keeping its id; throws a TmfError naming what is wrong. */
export async function prepareRecord(
  store: StorageLimits,
  record: unknown,
  representation: 'v4' | 'v5' = 'v4',
): Promise<Omit<Prepared, 'line'>> {
  if (!isObject(record)) throw new ValidationError('The record must be a JSON object describing a Customer');
  const { id, href: _href, ...body } = record; // href is derived per request, never stored
  if (id !== undefined && (typeof id !== 'string' || !isCustomerIdShape(id))) {
    throw new ValidationError(
      `id: "${String(id).slice(0, 64)}" is not an accepted id (1 to 128 of A-Z a-z 0-9 - . _ ~, starting with a letter or digit)`,
    );
  }
  if (representation === 'v5') {
    // An exported v5 Customer, checked as a whole resource (it may hold what only a PATCH sets).
    const doc = await storedFromV5Create(body, id ?? derivedId(body), store, 'Customer');
    return { doc, lookups: lookupEntriesOf(doc, store.lookupAttributes) };
  }
  validatorPromise ??= loadValidator();
  const { validateCustomerCreate } = await validatorPromise;
  check(validateCustomerCreate, body, 'Customer');
  const doc: CustomerDocument = {
    id: id ?? derivedId(body),
    ...body,
    '@type': body['@type'] ?? CUSTOMER_TYPE,
  };
  assertStorable(store, doc);
  return { doc, lookups: lookupEntriesOf(doc, store.lookupAttributes) };
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
      if (options.restore) {
        const { customer, version, changedAt } = backupLineOf(source.record);
        const restored = { version, changedAt };
        prepared.push({ line: source.line, ...(await prepareRecord(options.writer.store, customer)), restored });
      } else {
        const record = await prepareRecord(options.writer.store, source.record, options.representation);
        prepared.push({ line: source.line, ...record });
      }
    } catch (error) {
      if (!(error instanceof TmfError)) throw error;
      const raw = looksLikeBackupLine(source.record) ? source.record.customer : source.record;
      const id = isObject(raw) && typeof raw.id === 'string' ? raw.id : undefined;
      rejects.push(rejectOf(source.line, error, id?.slice(0, 128)));
    }
  }
  counts.rejected = rejects.length;
  // Rounds of distinct ids: the first occurrence of each id, then the second, ...
  const rounds: Prepared[][] = [];
  const occurrences = new Map<string, number>();
  for (const one of prepared) {
    const id = one.doc.id;
    const round = occurrences.get(id) ?? 0;
    occurrences.set(id, round + 1);
    (rounds[round] ??= []).push(one);
  }
  for (const round of rounds) {
    const outcome = await options.writer.writeRound(round, options);
    counts.imported += outcome.imported;
    counts.replaced += outcome.replaced;
    counts.unchanged += outcome.unchanged;
  }
  return { counts, rejects };
}

export function addCounts(total: ImportCounts, more: ImportCounts): void {
  for (const key of Object.keys(total) as (keyof ImportCounts)[]) total[key] += more[key];
}
