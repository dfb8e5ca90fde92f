/**
 * The verification step of a restore drill (`npm run verify-restore`): does a table hold what a
 * backup (`export --backup`) holds? The counts, and for a sample of the backup's customers (or
 * all of them) the same body, version (so the same ETag) and write time. Used after `import
 * --restore` (restore from an export), and after a point-in-time restore against a backup taken
 * from the source at the restore time. Reads the backup once, in constant memory beyond the sample.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CustomerStore } from '../domain/ports.js';
import { backupLineOf, type BackupLine } from './backup.js';

export interface RestoreVerification {
  /** Customers in the backup, and as the table counts them. */
  readonly backupCustomers: number;
  readonly tableCustomers: number;
  /** Customers compared one by one. */
  readonly compared: number;
  /** What differs, one line each (empty when the table holds the backup exactly). */
  readonly differences: string[];
}

export interface VerifyOptions {
  /** How many customers to compare one by one (reservoir-sampled); undefined: every one. */
  readonly sample?: number;
  /** For the sample's draw (tests give their own). */
  readonly random?: () => number;
}

const BATCH = 100;

export async function verifyRestore(
  backup: AsyncIterable<unknown>,
  table: Pick<CustomerStore, 'getCustomers' | 'countCustomers'>,
  options: VerifyOptions = {},
): Promise<RestoreVerification> {
  const random = options.random ?? Math.random;
  const differences: string[] = [];
  const sample: BackupLine[] = [];
  let backupCustomers = 0;
  for await (const record of backup) {
    const line = backupLineOf(record);
    backupCustomers += 1;
    if (options.sample === undefined || sample.length < options.sample) sample.push(line);
    else {
      // Reservoir sampling: every line has the same chance to be compared.
      const slot = Math.floor(random() * backupCustomers);
      if (slot < options.sample) sample[slot] = line;
    }
  }
  const tableCustomers = await table.countCustomers();
  if (tableCustomers !== backupCustomers) {
    differences.push(`count: ${backupCustomers} customers in the backup, ${tableCustomers} in the table`);
  }
  for (let start = 0; start < sample.length; start += BATCH) {
    const batch = sample.slice(start, start + BATCH);
    const found = new Map(
      (
        await table.getCustomers(
          batch.map((line) => String(line.customer.id)),
          { consistent: true },
        )
      ).map((stored) => [stored.doc.id, stored]),
    );
    for (const line of batch) {
      const id = String(line.customer.id);
      const stored = found.get(id);
      if (!stored) differences.push(`${id}: missing from the table`);
      else if (stored.version !== line.version)
        differences.push(`${id}: version ${line.version} in the backup, ${stored.version} in the table`);
      // An item written before write times were kept has none (its backup line has the backup's time).
      else if (stored.changedAt !== undefined && stored.changedAt !== line.changedAt)
        differences.push(`${id}: written at ${line.changedAt} in the backup, ${stored.changedAt} in the table`);
      else if (!isDeepStrictEqual(stored.doc, line.customer)) differences.push(`${id}: the customer differs`);
    }
  }
  return { backupCustomers, tableCustomers, compared: sample.length, differences };
}
