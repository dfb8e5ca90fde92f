import { describe, expect, it } from 'vitest';
import { MemoryCustomerStore } from '../../test/support/memoryStores.js';
import { verifyRestore } from './verifyRestore.js';

async function storeWith(count: number) {
  const store = new MemoryCustomerStore();
  for (let n = 0; n < count; n++) {
    await store.insertCustomer({
      id: `C${n}`,
      name: `Customer ${n}`,
      engagedParty: { id: 'p', '@referredType': 'Organization' },
    });
  }
  return store;
}

/** What `export --backup` writes for each customer (backup.ts): its version, write time and document. */
async function backupOf(store: MemoryCustomerStore): Promise<unknown[]> {
  const lines: unknown[] = [];
  await store.forEachCustomer((customers) => {
    for (const stored of customers) {
      // The in-memory store keeps no write times; a table does (and the comparison covers them).
      lines.push({ version: stored.version, changedAt: stored.changedAt ?? WRITTEN, customer: stored.doc });
    }
  });
  return lines;
}

const WRITTEN = '2026-12-01T10:00:00.000Z';

async function* each(records: unknown[]) {
  yield* records;
}

describe('verifyRestore', () => {
  it('finds nothing when the table holds the backup exactly', async () => {
    const store = await storeWith(5);
    const result = await verifyRestore(each(await backupOf(store)), store);
    expect(result).toEqual({ backupCustomers: 5, tableCustomers: 5, compared: 5, differences: [] });
  });

  it('names a missing customer, another version, another body and a count that differs', async () => {
    const source = await storeWith(4);
    const backup = await backupOf(source);
    const table = await storeWith(3); // C3 missing
    const c0 = (await table.findCustomer('C0'))!;
    await table.replaceCustomer({ ...c0.doc, status: 'Approved' }, c0); // C0: version 2 in the table
    const lines = backup.map(
      (line) => structuredClone(line) as { customer: Record<string, unknown>; changedAt: string },
    );
    lines[1]!.customer.name = 'Renamed'; // C1: the same version, another body
    const result = await verifyRestore(each(lines), table);
    expect(result.differences).toEqual(
      expect.arrayContaining([
        'count: 4 customers in the backup, 3 in the table',
        'C0: version 1 in the backup, 2 in the table',
        'C1: the customer differs',
        'C3: missing from the table',
      ]),
    );
    expect(result.differences).toHaveLength(4);
  });

  it('compares a sample of the size asked, drawn from the whole backup', async () => {
    const store = await storeWith(50);
    const result = await verifyRestore(each(await backupOf(store)), store, { sample: 10 });
    expect(result).toMatchObject({ backupCustomers: 50, compared: 10, differences: [] });
  });

  it('refuses a line that is not a backup line', async () => {
    const store = await storeWith(1);
    await expect(verifyRestore(each([{ name: 'not a backup line' }]), store)).rejects.toThrow(/version/);
  });
});
