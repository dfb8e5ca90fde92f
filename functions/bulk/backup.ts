/**
 * Backups a restore reproduces exactly: `npm run export -- --backup` writes one line per stored
 * customer, `{"version":3,"changedAt":"…","customer":{…}}` (the TMF Customer as stored, without
 * href), read from the table itself (the list index does not carry the write times); and
 * `npm run import -- --restore` writes each back with that version and write time, so every
 * customer keeps its id, body, ETag and update time, and a client holding an ETag carries on.
 */
import { ValidationError } from '../errors.js';
import { isObject } from '../domain/customer.js';
import type { StoredCustomer } from '../domain/ports.js';

/** One line of a backup. */
export interface BackupLine {
  readonly version: number;
  readonly changedAt: string;
  readonly customer: Record<string, unknown>;
}

/** What a backup is read from: every customer item of the table, with its version and write time. */
export interface BackupSource {
  forEachStoredCustomer(
    onCustomers: (customers: StoredCustomer[]) => Promise<void> | void,
    segments?: number,
  ): Promise<void>;
}

export interface BackupSummary {
  readonly customers: number;
}

export async function backupCustomers(
  store: BackupSource,
  write: (line: string) => Promise<void> | void,
  onProgress?: (customers: number) => void,
): Promise<BackupSummary> {
  let customers = 0;
  await store.forEachStoredCustomer(async (batch) => {
    for (const stored of batch) {
      const line: BackupLine = {
        version: stored.version,
        // An item written before write times were kept has none: the backup's own time stands in.
        changedAt: stored.changedAt ?? new Date().toISOString(),
        customer: stored.doc,
      };
      await write(`${JSON.stringify(line)}\n`);
      customers += 1;
    }
    onProgress?.(customers);
  }, 8);
  return { customers };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** A backup line, checked: a positive integer version, a UTC instant, and a customer object. */
export function backupLineOf(record: unknown): BackupLine {
  if (!isObject(record))
    throw new ValidationError('A backup line must be a JSON object {version, changedAt, customer}');
  const { version, changedAt, customer, ...rest } = record;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new ValidationError(`${extra[0]}: not a member of a backup line (version, changedAt, customer)`);
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new ValidationError('version: must be a positive integer');
  }
  if (typeof changedAt !== 'string' || !ISO_INSTANT.test(changedAt) || Number.isNaN(Date.parse(changedAt))) {
    throw new ValidationError('changedAt: must be a UTC instant such as 2026-01-31T12:00:00.000Z');
  }
  if (!isObject(customer)) throw new ValidationError('customer: must be a JSON object describing a Customer');
  if (typeof customer.id !== 'string') throw new ValidationError('customer.id: a restored customer keeps its id');
  return { version, changedAt, customer };
}

/** Whether a record has the shape of a backup line (for telling which id it carries). */
export function looksLikeBackupLine(record: unknown): record is { customer: Record<string, unknown> } {
  return isObject(record) && isObject(record.customer) && 'version' in record;
}
