/** `npm run report`: DuckDB answers the analytics questions over an export file, with charts. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'tmf629-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('counts customers by status, by month of validFor.startDateTime and by engaged party type', () => {
  const customers = [
    { status: 'Approved', month: '2026-01', type: 'Organization' },
    { status: 'Approved', month: '2026-01', type: 'Individual' },
    { status: 'Pending', month: '2026-03', type: 'Individual' },
    { month: undefined, type: 'Individual' },
  ].map((c, i) => ({
    id: `R-${i}`,
    name: `Report ${i}`,
    ...(c.status ? { status: c.status } : {}),
    ...(c.month ? { validFor: { startDateTime: `${c.month}-15T10:00:00Z` } } : {}),
    engagedParty: { id: 'p', '@referredType': c.type },
  }));
  const file = join(work, 'export.ndjson');
  writeFileSync(file, customers.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const out = join(work, 'report');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/report.ts', file, out], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const answer = (name: string) => JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'));
  expect(answer('customers_by_status')).toEqual([
    { status: 'Approved', customers: 2 },
    { status: '(none)', customers: 1 },
    { status: 'Pending', customers: 1 },
  ]);
  expect(answer('new_customers_per_month')).toEqual([
    { month: '(unknown)', customers: 1 },
    { month: '2026-01', customers: 2 },
    { month: '2026-03', customers: 1 },
  ]);
  expect(answer('customers_per_engaged_party_type')).toEqual([
    { engaged_party_type: 'Individual', customers: 3 },
    { engaged_party_type: 'Organization', customers: 1 },
  ]);
  for (const name of ['customers_by_status', 'new_customers_per_month', 'customers_per_engaged_party_type']) {
    expect(
      readFileSync(join(out, `${name}.png`))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(existsSync(join(out, `${name}.csv`))).toBe(true);
  }
});

it('survives any exported line (a lone surrogate, a line that is no JSON) and writes no formula into a CSV', () => {
  const lines = [
    JSON.stringify({ id: 'H-1', name: 'Lone \ud800 surrogate', status: 'Approved' }), // JSON.stringify escapes it: \ud800
    JSON.stringify({ id: 'H-2', name: 'Formula', status: '=HYPERLINK("http://evil.example","x")' }),
    JSON.stringify({ id: 'H-3', name: 'Plus', status: '+1', engagedParty: { '@referredType': '@SUM(A1)' } }),
    'this line is not JSON',
    JSON.stringify({ id: 'H-4', name: 'Fine', status: `-bad\ud800` }),
  ];
  expect(lines[0]).toContain('\\ud800');
  const file = join(work, 'hostile.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const out = join(work, 'hostile-report');
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/report.ts', file, out], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toMatch(/left out 1 line\(s\) that are not JSON objects: 4/);
  const csv = (name: string) =>
    readFileSync(join(out, `${name}.csv`), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
  const statuses = csv('customers_by_status');
  expect(statuses).toHaveLength(4);
  expect(statuses).toEqual(
    expect.arrayContaining([
      '"Approved",1',
      `"'=HYPERLINK(""http://evil.example"",""x"")",1`,
      `"'+1",1`,
      `"'-bad\ufffd",1`,
    ]),
  );
  expect(csv('customers_per_engaged_party_type')).toContain(`"'@SUM(A1)",1`);
  // No cell of any CSV the report writes starts a formula.
  for (const name of ['customers_by_status', 'new_customers_per_month', 'customers_per_engaged_party_type']) {
    for (const row of csv(name)) expect(row, row).not.toMatch(/^"?[=+\-@\t\r]/);
  }
});

it('labels count axes with whole numbers only', async () => {
  const { barChartSvg } = await import('../../bench/chart.js');
  const svg = barChartSvg({
    title: 't',
    groups: ['a', 'b'],
    series: [{ label: 'customers', values: [1, 3] }],
    unit: 'customers',
    integers: true,
  });
  const ticks = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((match) => Number(match[1]));
  expect(ticks.length).toBeGreaterThan(2);
  for (const tick of ticks) expect(Number.isInteger(tick), String(tick)).toBe(true);
  expect(Math.max(...ticks)).toBeGreaterThanOrEqual(3);
});
