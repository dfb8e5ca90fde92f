/**
 * A plain, independent evaluation of TMF630 queries over a small data set with every shape a
 * filter can meet, and generators of random queries: what the query property tests compare the
 * service's answers with.
 */
import fc from 'fast-check';

export type Customer = Record<string, any>;

export const NAMES = ['Ada', 'Bob', 'Cyd', 'Dee'];
export const STATUSES = ['Approved', 'Pending', 'Rejected'];
export const PARTIES = ['p1', 'p2', 'p3'];
export const CITIES = ['Paris', 'Lyon', 'Nice'];
export const DATES = ['2025-01-01T00:00:00Z', '2025-06-15T12:30:00Z', '2026-01-01T00:00:00Z', '2026-03-01T08:00:00Z'];

/** A small deterministic data set with every shape a filter can meet: missing, single, array values. */
export function dataSet(): Record<string, unknown>[] {
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

export interface Attribute {
  path: string;
  kind: 'string' | 'integer' | 'date' | 'any';
  samples: string[];
}

export const ATTRIBUTES: Attribute[] = [
  { path: 'name', kind: 'string', samples: NAMES },
  { path: 'status', kind: 'string', samples: STATUSES },
  { path: 'engagedParty.id', kind: 'string', samples: PARTIES },
  { path: 'contactMedium.characteristic.city', kind: 'string', samples: CITIES },
  { path: 'contactMedium.mediumType', kind: 'string', samples: ['email', 'postal'] },
  { path: 'creditProfile.creditScore', kind: 'integer', samples: ['0', '250', '500', '740', '999'] },
  { path: 'validFor.startDateTime', kind: 'date', samples: [...DATES, '2025-06-15T14:30:00+02:00'] },
  { path: 'characteristic.value', kind: 'any', samples: ['0', '3', '6'] },
];

export type Op = 'eq' | 'gt' | 'gte' | 'lt' | 'lte' | 'regex';
export interface Condition {
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

export function reference(
  stored: readonly Customer[],
  conditions: Condition[],
  sort: { attribute: Attribute; descending: boolean }[],
): Customer[] {
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

export const condition: fc.Arbitrary<Condition> = fc
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

export interface Query {
  conditions: Condition[];
  sort: { attribute: Attribute; descending: boolean }[];
  offset: number;
  limit: number;
}

export const query: fc.Arbitrary<Query> = fc.record({
  conditions: fc.array(condition, { maxLength: 3 }),
  sort: fc.array(fc.record({ attribute: fc.constantFrom(...ATTRIBUTES), descending: fc.boolean() }), { maxLength: 2 }),
  offset: fc.integer({ min: 0, max: 40 }),
  limit: fc.integer({ min: 0, max: 15 }),
});

export function queryString(q: Query): string {
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
