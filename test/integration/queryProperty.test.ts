/**
 * Property test: random filter / sort / offset / limit queries against the real local engine,
 * each answer compared with a plain in-memory evaluation of the same query over the same data.
 * Runs on its own server and data folder, so the data set is exactly what this test created.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../localApi.js';

type Customer = Record<string, any>;

const NAMES = ['Ada', 'Bob', 'Cyd', 'Dee'];
const STATUSES = ['Approved', 'Pending', 'Rejected'];
const PARTIES = ['p1', 'p2', 'p3'];
const CITIES = ['Paris', 'Lyon', 'Nice'];
const DATES = ['2025-01-01T00:00:00Z', '2025-06-15T12:30:00Z', '2026-01-01T00:00:00Z', '2026-03-01T08:00:00Z'];

let api: RunningLocalApi;
let stored: Customer[] = [];

/** A small deterministic data set with every shape a filter can meet: missing, single, array values. */
function dataSet(): Record<string, unknown>[] {
  return Array.from({ length: 36 }, (_, i) => {
    const customer: Record<string, unknown> = {
      name: NAMES[i % NAMES.length],
      engagedParty: { id: PARTIES[(i * 7) % PARTIES.length], '@referredType': 'Organization' },
    };
    if (i % 5 !== 0) customer.status = STATUSES[(i * 3) % STATUSES.length];
    if (i % 3 !== 0) {
      customer.creditProfile = [
        { creditProfileDate: DATES[i % DATES.length], validFor: {}, creditScore: (i * 37) % 1000 },
      ];
    }
    if (i % 4 !== 1) customer.validFor = { startDateTime: DATES[(i * 5) % DATES.length] };
    customer.contactMedium = Array.from({ length: i % 3 }, (_, j) => ({
      mediumType: j === 0 ? 'email' : 'postal',
      characteristic: { city: CITIES[(i + j) % CITIES.length], emailAddress: `c${i}-${j}@example.com` },
    }));
    if (i % 2 === 0) customer.characteristic = [{ name: 'score', value: i % 7 }];
    return customer;
  });
}

// ---- reference evaluation, written plainly and independently of the service's code ----

function values(resource: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(resource) ? resource : [resource];
  if (Array.isArray(resource)) return resource.flatMap((item) => values(item, path));
  if (resource === null || typeof resource !== 'object') return [];
  const [head, ...rest] = path as [string, ...string[]];
  return head in resource ? values((resource as Record<string, unknown>)[head], rest) : [];
}

interface Attribute {
  path: string;
  kind: 'string' | 'integer' | 'date' | 'any';
  samples: string[];
}

const ATTRIBUTES: Attribute[] = [
  { path: 'name', kind: 'string', samples: NAMES },
  { path: 'status', kind: 'string', samples: STATUSES },
  { path: 'engagedParty.id', kind: 'string', samples: PARTIES },
  { path: 'contactMedium.characteristic.city', kind: 'string', samples: CITIES },
  { path: 'contactMedium.mediumType', kind: 'string', samples: ['email', 'postal'] },
  { path: 'creditProfile.creditScore', kind: 'integer', samples: ['0', '250', '500', '740', '999'] },
  { path: 'validFor.startDateTime', kind: 'date', samples: [...DATES, '2025-06-15T14:30:00+02:00'] },
  { path: 'characteristic.value', kind: 'any', samples: ['0', '3', '6'] },
];

type Op = 'eq' | 'gt' | 'gte' | 'lt' | 'lte' | 'regex';
interface Condition {
  attribute: Attribute;
  op: Op;
  values: string[];
}

function compare(actual: unknown, wanted: string, kind: Attribute['kind']): number | undefined {
  if (kind === 'date') return typeof actual === 'string' ? Date.parse(actual) - Date.parse(wanted) : undefined;
  if (kind === 'integer' || kind === 'any') return typeof actual === 'number' ? actual - Number(wanted) : undefined;
  if (typeof actual !== 'string') return undefined;
  return actual === wanted ? 0 : actual < wanted ? -1 : 1;
}

function holds(customer: Customer, condition: Condition): boolean {
  return values(customer, condition.attribute.path.split('.')).some((actual) =>
    condition.values.some((wanted) => {
      if (condition.op === 'regex') return typeof actual === 'string' && new RegExp(wanted).test(actual);
      const order = compare(actual, wanted, condition.attribute.kind);
      if (order === undefined) return false;
      return { eq: order === 0, gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[condition.op];
    }),
  );
}

function sortKey(customer: Customer, attribute: Attribute): number | string | undefined {
  const [first] = values(customer, attribute.path.split('.'));
  if (first === undefined) return undefined;
  return attribute.kind === 'date' ? Date.parse(first as string) : (first as number | string);
}

function reference(conditions: Condition[], sort: { attribute: Attribute; descending: boolean }[]): Customer[] {
  return stored
    .filter((customer) => conditions.every((condition) => holds(customer, condition)))
    .sort((a, b) => {
      for (const { attribute, descending } of sort) {
        const [x, y] = [sortKey(a, attribute), sortKey(b, attribute)];
        if (x === undefined || y === undefined) {
          if (x !== y) return x === undefined ? 1 : -1;
          continue;
        }
        if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
}

// ---- generators ----

const condition: fc.Arbitrary<Condition> = fc
  .constantFrom(...ATTRIBUTES)
  .chain((attribute) =>
    fc.record({
      attribute: fc.constant(attribute),
      op:
        attribute.kind === 'string'
          ? fc.constantFrom<Op>('eq', 'eq', 'regex', 'gt', 'lte')
          : fc.constantFrom<Op>('eq', 'gt', 'gte', 'lt', 'lte'),
      values: fc.uniqueArray(fc.constantFrom(...attribute.samples), { minLength: 1, maxLength: 2 }),
    }),
  )
  .map((c) => (c.op === 'regex' ? { ...c, values: [`^${c.values[0]!.slice(0, 2)}`] } : c));

interface Query {
  conditions: Condition[];
  sort: { attribute: Attribute; descending: boolean }[];
  offset: number;
  limit: number;
}

const query: fc.Arbitrary<Query> = fc.record({
  conditions: fc.array(condition, { maxLength: 3 }),
  sort: fc.array(fc.record({ attribute: fc.constantFrom(...ATTRIBUTES), descending: fc.boolean() }), { maxLength: 2 }),
  offset: fc.integer({ min: 0, max: 40 }),
  limit: fc.integer({ min: 0, max: 15 }),
});

function queryString(q: Query): string {
  const params = new URLSearchParams();
  for (const c of q.conditions) {
    const suffix = c.op === 'eq' ? '' : c.op === 'regex' ? '*' : `.${c.op}`;
    params.append(`${c.attribute.path}${suffix}`, c.values.join(','));
  }
  if (q.sort.length > 0)
    params.append('sort', q.sort.map((s) => `${s.descending ? '-' : ''}${s.attribute.path}`).join(','));
  params.append('offset', String(q.offset));
  params.append('limit', String(q.limit));
  return params.toString();
}

beforeAll(async () => {
  api = await startLocalApi();
  for (const body of dataSet()) {
    const response = await fetch(new URL('customer', api.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    stored.push((await response.json()) as Customer);
  }
  stored = stored.sort((a, b) => (a.id < b.id ? -1 : 1));
});

afterAll(() => api?.stop());

describe('listCustomer against an in-memory evaluation', () => {
  it('answers random filter / sort / offset / limit queries exactly as the plain evaluation does', async () => {
    let withMatches = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const qs = queryString(q);
        const response = await fetch(new URL(`customer?${qs}`, api.baseUrl));
        const body = (await response.json()) as Customer[];
        const expected = reference(q.conditions, q.sort);
        const page = expected.slice(q.offset, q.offset + q.limit);
        expect(response.headers.get('x-total-count'), qs).toBe(String(expected.length));
        expect(
          body.map((c) => c.id),
          qs,
        ).toEqual(page.map((c) => c.id));
        expect(response.status, qs).toBe(page.length < expected.length ? 206 : 200);
        if (page.length > 0) withMatches += 1;
      }),
      { numRuns: 150 },
    );
    // The generators must produce queries that find something, or the comparison proves little.
    expect(withMatches).toBeGreaterThan(30);
  });
});
