import { describe, expect, it } from 'vitest';
import { MemoryCustomerStore } from '../../test/support/memoryStores.js';
import { ValidationError } from '../errors.js';
import { backupCustomers, backupLineOf, type BackupLine } from './backup.js';

describe('backup lines', () => {
  const customer = { id: 'C-1', name: 'Moon', engagedParty: { id: '1' }, '@type': 'Customer' };

  it('holds each stored customer with its version and write time, and reads back as written', async () => {
    const store = new MemoryCustomerStore();
    store.seed(customer, 3);
    const held = store.customers.get('C-1');
    if (held) held.changedAt = '2026-11-30T10:00:00.123Z';
    const lines: string[] = [];
    const source = {
      forEachStoredCustomer: (on: Parameters<typeof store.forEachCustomer>[0]) => store.forEachCustomer(on),
    };
    expect(await backupCustomers(source, (line) => void lines.push(line))).toEqual({ customers: 1 });
    const line = JSON.parse(lines[0] ?? '') as BackupLine;
    expect(line).toEqual({ version: 3, changedAt: '2026-11-30T10:00:00.123Z', customer });
    expect(backupLineOf(line)).toEqual(line);
  });

  it('refuses what a restore cannot reproduce exactly, naming what is wrong', () => {
    const good = { version: 2, changedAt: '2026-11-30T10:00:00.000Z', customer };
    const cases: [unknown, RegExp][] = [
      [[good], /JSON object/],
      [{ ...good, version: 0 }, /version/],
      [{ ...good, version: 1.5 }, /version/],
      [{ ...good, changedAt: 'yesterday' }, /changedAt/],
      [{ ...good, changedAt: '2026-11-30T10:00:00+02:00' }, /changedAt/],
      [{ ...good, customer: { name: 'no id' } }, /customer\.id/],
      [{ ...good, etag: '"2"' }, /etag: not a member/],
    ];
    for (const [record, message] of cases) {
      expect(() => backupLineOf(record)).toThrow(ValidationError);
      expect(() => backupLineOf(record)).toThrow(message);
    }
  });
});
