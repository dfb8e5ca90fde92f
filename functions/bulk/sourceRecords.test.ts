import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRecords, readSource, type CsvRecord } from './sourceRecords.js';

/** The records of a text, without their byte counts (checked on their own below). */
async function recordsOf(text: string): Promise<Omit<CsvRecord, 'bytes'>[]> {
  async function* lines() {
    yield* text.split('\n');
  }
  const records: Omit<CsvRecord, 'bytes'>[] = [];
  let bytes = 0;
  for await (const { bytes: taken, ...record } of csvRecords(lines())) {
    bytes += taken;
    records.push(record);
  }
  // Every line is in exactly one record (progress counts what is done by these bytes).
  expect(bytes).toBe(Buffer.byteLength(text) + 1);
  return records;
}

describe('CSV records: one bad row is rejected alone', () => {
  it('keeps quoted cells across lines, doubled quotes and commas', async () => {
    expect(await recordsOf('a,b\n"x, y","multi\nline ""quoted"""\nz,w')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'multi\nline "quoted"'] },
      { line: 4, cells: ['z', 'w'] },
    ]);
  });

  it('rejects a row whose quote is never closed, with its line, and reads every row after it', async () => {
    const records = await recordsOf('name,status\nok1,Approved\n"broken,Approved\nok2,Pending\nok3,Active');
    expect(records).toEqual([
      { line: 1, cells: ['name', 'status'] },
      { line: 2, cells: ['ok1', 'Approved'] },
      { line: 3, error: expect.stringMatching(/unterminated quote/) },
      { line: 4, cells: ['ok2', 'Pending'] },
      { line: 5, cells: ['ok3', 'Active'] },
    ]);
  });

  it('rejects a row with a stray quote inside an unquoted cell, naming CSV, and goes on', async () => {
    const records = await recordsOf('name,status\nab"c"d,x\n"q"x,y\nok,z');
    expect(records[2]).toEqual({ line: 3, error: expect.stringMatching(/not valid CSV/) });
    expect(records.at(-1)).toEqual({ line: 4, cells: ['ok', 'z'] });
  });

  it('reads a file with a byte order mark and an unterminated quote to its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tmf629-csv-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'customers.csv');
    writeFileSync(
      file,
      '\ufeffname,engagedParty.id,engagedParty.@referredType\nA,1,Individual\n"B,2,Individual\nC,3,Individual\n',
    );
    const seen = [];
    for await (const record of readSource(file, 'csv', { bytesRead: 0 })) seen.push(record);
    expect(seen.map((record) => [record.line, 'parseError' in record && !!record.parseError])).toEqual([
      [2, false],
      [3, true],
      [4, false],
    ]);
  });
});
