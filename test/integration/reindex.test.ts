/**
 * `npm run reindex` against the real local engine, while the API keeps serving a load of creates,
 * patches and deletes: afterwards every configured lookup answers exactly what the documents say,
 * every kept count is exact, lists use the new index, and an attribute taken out of the
 * configuration leaves no lookup item or count behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localEngineClient } from '../../local/engine.js';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';

const CITY = 'contactMedium.characteristic.city';
const SEGMENT = 'characteristic[segment].value';
const CITIES = ['Paris', 'Lyon', 'Nice', 'Lille'];
const SEGMENTS = ['gold', 'silver', 'bronze'];
const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'tmf629-reindex-'));
let api: RunningLocalApi | undefined;

afterAll(async () => {
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Customer = Record<string, any>;

const customerBody = (n: number) => ({
  name: `Reindexed ${n}`,
  engagedParty: { id: `party-${n % 7}`, '@referredType': 'Organization' },
  contactMedium: [
    { mediumType: 'postalAddress', characteristic: { city: CITIES[n % CITIES.length] } },
    ...(n % 3 === 0
      ? [{ mediumType: 'postalAddress', characteristic: { city: CITIES[(n + 1) % CITIES.length] } }]
      : []),
  ],
  characteristic: [
    { name: 'segment', value: SEGMENTS[n % SEGMENTS.length] },
    { name: 'tier', value: SEGMENTS[(n + 1) % SEGMENTS.length] },
  ],
});

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, api?.baseUrl), init);
}

async function create(n: number): Promise<Customer> {
  const response = await call('customer', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(customerBody(n)),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Customer;
}

/** Every customer, walked by next links. */
async function everyCustomer(): Promise<Customer[]> {
  const all: Customer[] = [];
  let url: string | undefined = new URL('customer?limit=1000', api?.baseUrl).toString();
  while (url) {
    const response = await fetch(url);
    all.push(...((await response.json()) as Customer[]));
    url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return all;
}

function runReindex(indexed: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bin/reindex.ts')], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, INDEXED_ATTRIBUTES: indexed, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const valuesOf = (customer: Customer, attribute: string): string[] =>
  attribute === CITY
    ? customer.contactMedium.map((medium: Customer) => medium.characteristic.city)
    : customer.characteristic
        .filter((characteristic: Customer) => characteristic.name === 'segment')
        .map((characteristic: Customer) => characteristic.value);

/** Each value's lookup answers exactly the customers holding it, with an exact kept count. */
async function expectExactLookups(attribute: string, values: string[], customers: Customer[]) {
  for (const value of values) {
    const expected = customers
      .filter((customer) => valuesOf(customer, attribute).includes(value))
      .map((customer) => customer.id as string)
      .sort();
    const query = `${encodeURIComponent(attribute)}=${encodeURIComponent(value)}`;
    const all = await call(`customer?${query}&limit=1000`);
    expect(
      ((await all.json()) as Customer[]).map((c) => c.id),
      `${attribute}=${value}`,
    ).toEqual(expected);
    // One customer per page: the total then comes from the kept counters, not from reading them all.
    const counted = await call(`customer?${query}&limit=1`);
    expect(counted.headers.get('x-total-count'), `${attribute}=${value} count`).toBe(String(expected.length));
    expect(Number(counted.headers.get('x-read-items')), `${attribute}=${value} read`).toBeLessThan(12);
  }
}

async function lookupLeftovers(attribute: string): Promise<number> {
  const client = localEngineClient(api?.engineEndpoint as string);
  try {
    let found = 0;
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: api?.tableName, ProjectionExpression: 'pk, sk', ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        const key = `${item.pk?.S} ${item.sk?.S}`;
        if (key.includes(`${attribute}=`) || key.includes(`${attribute}#`)) found += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  } finally {
    client.destroy();
  }
}

describe('npm run reindex', () => {
  it('backfills configured attributes while the API serves writes, and removes unconfigured ones', async () => {
    // Customers written while only the built-in attributes were indexed.
    api = await startLocalApi({ dataDir });
    for (let n = 0; n < 300; n++) await create(n);
    await api.stop();

    const indexed = `${CITY},${SEGMENT}`;
    api = await startLocalApi({
      dataDir,
      env: { INDEXED_ATTRIBUTES: indexed, INDEX_STATE_CACHE_SECONDS: '0', LIST_COUNT_AHEAD: '100000' },
    });
    // Not backfilled yet: answered by reading customers, and still exactly.
    const before = await call(`customer?${encodeURIComponent(CITY)}=Paris&limit=1`);
    expect(Number(before.headers.get('x-read-items'))).toBeGreaterThan(100);

    // A load of creates, city changes and deletes for as long as the reindex runs.
    let running = true;
    let writes = 0;
    const load = (async () => {
      const existing = (await everyCustomer()).map((customer) => customer.id as string);
      for (let n = 1000; running; n++) {
        const created = await create(n);
        const target = existing[n % existing.length] as string;
        const patched = await call(`customer/${target}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/merge-patch+json' },
          body: JSON.stringify({
            contactMedium: [{ mediumType: 'postalAddress', characteristic: { city: CITIES[(n * 7) % CITIES.length] } }],
          }),
        });
        expect(patched.status).toBe(200);
        if (n % 4 === 0) expect((await call(`customer/${created.id}`, { method: 'DELETE' })).status).toBe(204);
        writes += 3;
      }
    })();
    const reindex = await runReindex(indexed);
    running = false;
    await load;
    expect(reindex.code, reindex.output).toBe(0);
    expect(reindex.output).toMatch(/300|3\d\d customers/);
    expect(writes).toBeGreaterThan(0);

    const customers = await everyCustomer();
    const total = await call('customer?limit=1');
    expect(total.headers.get('x-total-count')).toBe(String(customers.length));
    await expectExactLookups(CITY, CITIES, customers);
    await expectExactLookups(SEGMENT, SEGMENTS, customers);

    // The segment is no longer indexed: its lookups and counts go, its filter still answers.
    await api.stop();
    api = await startLocalApi({ dataDir, env: { INDEXED_ATTRIBUTES: CITY, INDEX_STATE_CACHE_SECONDS: '0' } });
    const removal = await runReindex(CITY);
    expect(removal.code, removal.output).toBe(0);
    expect(removal.output).toContain(`removed: ${SEGMENT}`);
    expect(await lookupLeftovers(SEGMENT)).toBe(0);
    await expectExactLookups(CITY, CITIES, customers);
    const gold = await call(`customer?${encodeURIComponent(SEGMENT)}=gold&limit=1000`);
    expect(((await gold.json()) as Customer[]).length).toBe(
      customers.filter((customer) => valuesOf(customer, SEGMENT).includes('gold')).length,
    );
  }, 300_000);
});
