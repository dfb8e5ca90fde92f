/**
 * TMF630 querying over HTTP: every operator, type and combination, sorting, selection and paging.
 * Each test marks its customers with a unique statusReason, so it sees only its own data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createCustomer, expectTmfError, uniqueName } from './http.js';

const tag = uniqueName('query').replace(/\s/g, '-');
const ids: Record<string, string> = {};

const customers = {
  ada: {
    name: 'Ada',
    status: 'Approved',
    engagedParty: { id: 'p-1', '@referredType': 'Individual' },
    validFor: { startDateTime: '2026-01-01T00:00:00Z' },
    contactMedium: [
      {
        mediumType: 'email',
        preferred: true,
        characteristic: { emailAddress: `ada-${tag}@example.com`, city: 'Paris' },
      },
      { mediumType: 'phone', preferred: false, characteristic: { phoneNumber: `+33-${tag}-1` } },
    ],
    characteristic: [
      { name: 'segment', value: 'gold' },
      { name: 'score', value: 90 },
    ],
    creditProfile: [{ creditProfileDate: '2026-03-01T10:00:00Z', validFor: {}, creditScore: 720 }],
  },
  bob: {
    name: 'Bob',
    status: 'Pending',
    engagedParty: { id: 'p-2', '@referredType': 'Organization' },
    validFor: { startDateTime: '2025-06-15T12:00:00+02:00' },
    contactMedium: [{ mediumType: 'postal', characteristic: { city: 'Lyon' } }],
    characteristic: [
      { name: 'segment', value: 'silver' },
      { name: 'score', value: 40 },
    ],
    creditProfile: [{ creditProfileDate: '2025-03-01T10:00:00Z', validFor: {}, creditScore: 550 }],
  },
  cyd: {
    name: 'Cyd',
    status: 'Approved',
    engagedParty: { id: 'p-1', '@referredType': 'Individual' },
    contactMedium: [
      {
        mediumType: 'email',
        preferred: false,
        characteristic: { emailAddress: `cyd-${tag}@example.com`, city: 'Paris' },
      },
    ],
    characteristic: [{ name: 'vip', value: true }],
  },
} as const;

type Key = keyof typeof customers;

/** The names of this test's customers in what a query returns, in order. */
async function names(query: string): Promise<string[]> {
  const response = await call('GET', `customer?statusReason=${tag}&${query}`);
  expect(response.status, response.text).toBeLessThan(300);
  return response.body.map((c: { name: string }) => c.name);
}

beforeAll(async () => {
  for (const [key, body] of Object.entries(customers)) {
    ids[key] = (await createCustomer({ ...body, statusReason: tag })).id;
  }
});

describe('filtering', () => {
  it('matches equality on first-level attributes', async () => {
    expect(await names('name=Ada')).toEqual(['Ada']);
    expect(await names('status=Approved')).toEqual(['Ada', 'Cyd']);
  });

  it('reaches into objects and arrays with dotted paths; an array matches when any element does', async () => {
    expect(await names('engagedParty.id=p-1')).toEqual(['Ada', 'Cyd']);
    expect(await names('contactMedium.characteristic.city=Paris')).toEqual(['Ada', 'Cyd']);
    expect(await names('contactMedium.characteristic.city=Lyon')).toEqual(['Bob']);
    expect(await names('characteristic.value=gold')).toEqual(['Ada']);
    expect(await names('contactMedium.mediumType=phone')).toEqual(['Ada']);
  });

  it('ORs comma-separated values and ANDs different attributes', async () => {
    expect(await names('status=Approved,Pending')).toEqual(['Ada', 'Bob', 'Cyd']);
    expect(await names('status=Approved&contactMedium.characteristic.city=Paris&engagedParty.id=p-1')).toEqual([
      'Ada',
      'Cyd',
    ]);
    expect(await names('status=Approved&characteristic.name=vip')).toEqual(['Cyd']);
    expect(await names('name=Ada,Bob&status=Pending')).toEqual(['Bob']);
  });

  it('compares integers as numbers with suffix operators', async () => {
    expect(await names('creditProfile.creditScore.gt=600')).toEqual(['Ada']);
    expect(await names('creditProfile.creditScore.gte=550')).toEqual(['Ada', 'Bob']);
    expect(await names('creditProfile.creditScore.lt=600')).toEqual(['Bob']);
    expect(await names('creditProfile.creditScore.lte=720')).toEqual(['Ada', 'Bob']);
    expect(await names('creditProfile.creditScore.eq=720')).toEqual(['Ada']);
    // 90 > 100 is false as numbers, true as strings.
    expect(await names('characteristic.value.gt=100')).toEqual([]);
    expect(await names('characteristic.value.gte=40')).toEqual(['Ada', 'Bob']);
  });

  it('compares with the URL-encoded symbol forms', async () => {
    expect(await names(`${encodeURIComponent('creditProfile.creditScore>')}=600`)).toEqual(['Ada']);
    expect(await names('creditProfile.creditScore>=550')).toEqual(['Ada', 'Bob']);
    expect(await names('creditProfile.creditScore%3C600')).toEqual(['Bob']);
    expect(await names('creditProfile.creditScore<=550')).toEqual(['Bob']);
    expect(await names('creditProfile.creditScore>600')).toEqual(['Ada']);
    expect(await names('name==Bob')).toEqual(['Bob']);
  });

  it('compares date-times as instants, whatever their offset', async () => {
    expect(await names('validFor.startDateTime.gt=2025-12-31T23:00:00-02:00')).toEqual([]);
    expect(await names('validFor.startDateTime.gte=2026-01-01T01:00:00%2B01:00')).toEqual(['Ada']);
    expect(await names('validFor.startDateTime.lt=2025-06-15T10:00:01Z')).toEqual(['Bob']);
    expect(await names('validFor.startDateTime.eq=2025-06-15T10:00:00Z')).toEqual(['Bob']);
    expect(await names('validFor.startDateTime.gte=2025-01-01')).toEqual(['Ada', 'Bob']);
  });

  it('compares booleans', async () => {
    expect(await names('contactMedium.preferred=true')).toEqual(['Ada']);
    expect(await names('contactMedium.preferred=false')).toEqual(['Ada', 'Cyd']);
    expect(await names('characteristic.value=true')).toEqual(['Cyd']);
  });

  it('matches regular expressions with *= and =~', async () => {
    expect(await names('name*=^[AB]')).toEqual(['Ada', 'Bob']);
    expect(await names('name=~d$')).toEqual(['Cyd']);
    expect(
      await names(`contactMedium.characteristic.emailAddress*=${encodeURIComponent(`^cyd-.*@example\\.com$`)}`),
    ).toEqual(['Cyd']);
  });

  it('stays fast on a pattern that backtracks catastrophically elsewhere', async () => {
    const response = await call('GET', `customer?statusReason=${tag}&name*=${encodeURIComponent('^(a+)+$')}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it('finds indexed attributes through the lookup index: email, phone, name, engagedParty.id, status', async () => {
    const byEmail = await call('GET', `customer?contactMedium.characteristic.emailAddress=ada-${tag}@example.com`);
    expect(byEmail.body.map((c: { id: string }) => c.id)).toEqual([ids.ada]);
    expect(byEmail.headers.get('x-total-count')).toBe('1');
    const byPhone = await call(
      'GET',
      `customer?contactMedium.characteristic.phoneNumber=${encodeURIComponent(`+33-${tag}-1`)}`,
    );
    expect(byPhone.body.map((c: { id: string }) => c.id)).toEqual([ids.ada]);
    const both = await call(
      'GET',
      `customer?contactMedium.characteristic.emailAddress=ada-${tag}@example.com,cyd-${tag}@example.com`,
    );
    expect(both.body.map((c: { id: string }) => c.id)).toEqual([ids.ada, ids.cyd]);
    expect(both.headers.get('x-total-count')).toBe('2');
  });

  it('answers 200 [] when nothing matches', async () => {
    const response = await call('GET', `customer?statusReason=${tag}&name=Nobody`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
    expect(response.headers.get('x-total-count')).toBe('0');
  });

  it.each([
    ['nickname=x', /nickname: not an attribute of Customer/],
    ['contactMedium.characteristic.planet=Mars', /contactMedium\.characteristic\.planet: not an attribute/],
    ['engagedParty=x', /engagedParty: is an object/],
    ['creditProfile.creditScore.gt=high', /creditProfile\.creditScore: "high" is not an integer/],
    ['creditProfile.creditScore=1.5', /not an integer/],
    ['validFor.startDateTime.gt=yesterday', /not a date-time/],
    ['contactMedium.preferred=yes', /not true or false/],
    ['contactMedium.preferred.gt=true', /can only be compared for equality/],
    ['name*=(unclosed', /not a valid regular expression/],
    [`name*=${'a'.repeat(300)}`, /longer than 256/],
    ['sort=planet', /sort: planet is not an attribute/],
    ['sort=engagedParty', /sort: engagedParty is an object/],
  ])('answers 400 naming the problem for %s', async (query, pattern) => {
    expectTmfError(await call('GET', `customer?${query}`), 400, pattern);
  });
});

describe('sorting', () => {
  it('sorts ascending and descending by one or more keys, dotted paths included', async () => {
    expect(await names('sort=name')).toEqual(['Ada', 'Bob', 'Cyd']);
    expect(await names('sort=-name')).toEqual(['Cyd', 'Bob', 'Ada']);
    expect(await names('sort=-status,name')).toEqual(['Bob', 'Ada', 'Cyd']);
    expect(await names('sort=-creditProfile.creditScore')).toEqual(['Ada', 'Bob', 'Cyd']);
    expect(await names('sort=validFor.startDateTime')).toEqual(['Bob', 'Ada', 'Cyd']);
  });

  it('breaks ties by id, so pages are stable', async () => {
    const response = await call('GET', `customer?statusReason=${tag}&sort=status&fields=none`);
    expect(response.body.map((c: { id: string }) => c.id)).toEqual([ids.ada, ids.cyd, ids.bob]);
  });

  it('defaults to id (creation) order', async () => {
    expect(await names('')).toEqual(['Ada', 'Bob', 'Cyd']);
  });
});

describe('selection and paging', () => {
  it('selects dotted fields and fields=none', async () => {
    const response = await call(
      'GET',
      `customer?statusReason=${tag}&name=Ada&fields=engagedParty.id,contactMedium.mediumType`,
    );
    expect(response.body).toEqual([
      {
        id: ids.ada,
        href: expect.stringMatching(/\/customer\/[0-9A-Z]{26}$/),
        engagedParty: { id: 'p-1' },
        contactMedium: [{ mediumType: 'email' }, { mediumType: 'phone' }],
      },
    ]);
    const none = await call('GET', `customer?statusReason=${tag}&name=Ada&fields=none`);
    expect(Object.keys(none.body[0])).toEqual(['id', 'href']);
  });

  it('pages a filtered, sorted query with exact counts, 206 and a Link header', async () => {
    const first = await call('GET', `customer?statusReason=${tag}&sort=-name&limit=2`);
    expect(first.status).toBe(206);
    expect(first.body.map((c: { name: string }) => c.name)).toEqual(['Cyd', 'Bob']);
    expect(first.headers.get('x-total-count')).toBe('3');
    expect(first.headers.get('x-result-count')).toBe('2');
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="last"');
    expect(link).not.toContain('rel="prev"');
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    expect(next).toBeDefined();
    const second = await fetch(next!, { headers: { Accept: 'application/json' } });
    expect(second.status).toBe(206);
    expect(((await second.json()) as { name: string }[]).map((c) => c.name)).toEqual(['Ada']);
    expect(second.headers.get('link')).toContain('rel="prev"');
    const all = await call('GET', `customer?statusReason=${tag}&sort=-name&limit=3`);
    expect(all.status).toBe(200);
  });
});

describe('cost reporting', () => {
  it('reports items read: an indexed lookup reads its index entry and the customer, not the table', async () => {
    const response = await call(
      'GET',
      `customer?name=Ada&contactMedium.characteristic.emailAddress=ada-${tag}@example.com`,
    );
    expect(response.body).toHaveLength(1);
    const byEmail = await call('GET', `customer?contactMedium.characteristic.emailAddress=ada-${tag}@example.com`);
    expect(Number(byEmail.headers.get('x-read-items'))).toBeLessThanOrEqual(4);
    const byId = await call('GET', `customer/${ids.ada as string}`);
    expect(byId.headers.get('x-read-items')).toBe('1');
    expect(Number(byId.headers.get('x-read-capacity'))).toBeGreaterThan(0);
  });
});

export type { Key };
