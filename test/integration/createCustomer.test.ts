import { describe, expect, it } from 'vitest';
import { baseUrl, call, expectTmfError, uniqueName, validCustomer } from './http.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('createCustomer: POST /customer', () => {
  it('answers 201 with the full Customer, its href as Location, and @type Customer by default', async () => {
    const name = uniqueName('Moon Football Club');
    const response = await call('POST', 'customer', { body: validCustomer(name) });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name,
      '@type': 'Customer',
      engagedParty: { id: '500', '@referredType': 'Organization' },
    });
    expect(response.body.id).toMatch(ULID);
    expect(response.body.href).toBe(`${baseUrl()}customer/${response.body.id}`);
    expect(response.headers.get('location')).toBe(response.body.href);
    expect(response.headers.get('etag')).toMatch(/^"\d+"$/);
    const stored = await call('GET', `customer/${response.body.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(response.body);
  });

  it('keeps a client-given @type and every optional attribute of the schema', async () => {
    const body = {
      ...validCustomer(uniqueName('Full')),
      '@type': 'Customer',
      '@baseType': 'PartyRole',
      status: 'Approved',
      statusReason: 'checked',
      validFor: { startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2027-01-01T00:00:00.000+02:00' },
      account: [{ name: 'Main account', id: 'a1', '@referredType': 'BillingAccount' }],
      agreement: [{ id: 'ag1', name: 'Frame agreement' }],
      characteristic: [
        { name: 'segment', value: 'gold' },
        { name: 'score', valueType: 'number', value: 12.5 },
      ],
      contactMedium: [
        { mediumType: 'email', preferred: true, characteristic: { emailAddress: 'a@example.com' } },
        { mediumType: 'postalAddress', characteristic: { city: 'Paris', country: 'France' } },
      ],
      creditProfile: [
        {
          creditProfileDate: '2026-03-01T10:00:00Z',
          validFor: { startDateTime: '2026-03-01T10:00:00Z' },
          creditScore: 700,
        },
      ],
      paymentMethod: [{ id: 'pm1', name: 'Direct debit' }],
      relatedParty: [{ id: 'rp1', '@referredType': 'Individual', role: 'contact' }],
    };
    const response = await call('POST', 'customer', { body });
    expect(response.status, response.text).toBe(201);
    const { id, href, ...rest } = response.body;
    expect(typeof id).toBe('string');
    expect(typeof href).toBe('string');
    expect(rest).toEqual(body);
  });

  it('accepts a charset parameter on the Content-Type', async () => {
    const response = await call('POST', 'customer', {
      raw: JSON.stringify(validCustomer(uniqueName('Charset'))),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(response.status).toBe(201);
  });

  it.each([
    ['name', { engagedParty: { '@referredType': 'Organization', id: '500' } }, /\bname: is mandatory/],
    ['engagedParty', { name: 'x' }, /\bengagedParty: is mandatory/],
    [
      'engagedParty.id',
      { name: 'x', engagedParty: { '@referredType': 'Organization' } },
      /engagedParty\.id: is mandatory/,
    ],
    [
      'engagedParty.@referredType',
      { name: 'x', engagedParty: { id: '1' } },
      /engagedParty\.@referredType: is mandatory/,
    ],
  ])('answers 400 naming a missing mandatory attribute: %s', async (_label, body, pattern) => {
    expectTmfError(await call('POST', 'customer', { body }), 400, pattern);
  });

  it.each([
    ['account[].name', { account: [{ id: 'a' }] }, /account\[0\]\.name: is mandatory/],
    ['agreement[].id', { agreement: [{ name: 'a' }] }, /agreement\[0\]\.id: is mandatory/],
    ['paymentMethod[].id', { paymentMethod: [{ name: 'p' }] }, /paymentMethod\[0\]\.id: is mandatory/],
    ['characteristic[].name', { characteristic: [{ value: 1 }] }, /characteristic\[0\]\.name: is mandatory/],
    ['characteristic[].value', { characteristic: [{ name: 'n' }] }, /characteristic\[0\]\.value: is mandatory/],
    [
      'contactMedium[].mediumType',
      { contactMedium: [{ characteristic: {} }] },
      /contactMedium\[0\]\.mediumType: is mandatory/,
    ],
    [
      'contactMedium[].characteristic',
      { contactMedium: [{ mediumType: 'email' }] },
      /contactMedium\[0\]\.characteristic: is mandatory/,
    ],
    [
      'creditProfile[].creditProfileDate',
      { creditProfile: [{ validFor: {} }] },
      /creditProfile\[0\]\.creditProfileDate: is mandatory/,
    ],
    [
      'creditProfile[].validFor',
      { creditProfile: [{ creditProfileDate: '2026-01-01T00:00:00Z' }] },
      /creditProfile\[0\]\.validFor: is mandatory/,
    ],
    ['relatedParty[].id', { relatedParty: [{ '@referredType': 'Individual' }] }, /relatedParty\[0\]\.id: is mandatory/],
    ['relatedParty[].@referredType', { relatedParty: [{ id: '1' }] }, /relatedParty\[0\]\.@referredType: is mandatory/],
  ])('answers 400 for a missing mandatory child of a present parent: %s', async (_label, extra, pattern) => {
    const response = await call('POST', 'customer', { body: { ...validCustomer('x'), ...extra } });
    expectTmfError(response, 400, pattern);
  });

  it.each([
    ['name as a number', { name: 12 }, /name: must be string/],
    ['account as an object', { account: { name: 'a' } }, /account: must be array/],
    [
      'preferred as a string',
      { contactMedium: [{ mediumType: 'email', preferred: 'yes', characteristic: {} }] },
      /contactMedium\[0\]\.preferred: must be boolean/,
    ],
    [
      'a malformed date-time',
      { validFor: { startDateTime: 'yesterday' } },
      /validFor\.startDateTime: must match format "date-time"/,
    ],
    [
      'creditScore as a fraction',
      { creditProfile: [{ creditProfileDate: '2026-01-01T00:00:00Z', validFor: {}, creditScore: 1.5 }] },
      /creditScore: must be integer/,
    ],
  ])('answers 400 naming an attribute of the wrong type: %s', async (_label, extra, pattern) => {
    expectTmfError(await call('POST', 'customer', { body: { ...validCustomer('x'), ...extra } }), 400, pattern);
  });

  it.each(['id', 'href'])('refuses a client-supplied %s with 400', async (attribute) => {
    const response = await call('POST', 'customer', {
      body: { ...validCustomer('x'), [attribute]: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    });
    expectTmfError(response, 400, new RegExp(`${attribute}: is set by the server`));
  });

  it('refuses attributes the schema does not define, naming them', async () => {
    const response = await call('POST', 'customer', { body: { ...validCustomer('x'), loyaltyTier: 'gold' } });
    expectTmfError(response, 400, /loyaltyTier: is not a known attribute/);
    const nested = await call('POST', 'customer', {
      body: {
        ...validCustomer('x'),
        contactMedium: [{ mediumType: 'email', characteristic: { emailAdress: 'typo@example.com' } }],
      },
    });
    expectTmfError(nested, 400, /contactMedium\[0\]\.characteristic\.emailAdress: is not a known attribute/);
  });

  it('stores attributes of an extension that declares its @schemaLocation', async () => {
    const body = {
      ...validCustomer(uniqueName('Extended')),
      '@type': 'LoyalCustomer',
      '@baseType': 'Customer',
      '@schemaLocation': 'https://schemas.example.com/LoyalCustomer.schema.json',
      loyaltyTier: 'gold',
    };
    const response = await call('POST', 'customer', { body });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject(body);
  });

  it.each([
    ['malformed JSON', '{"name": "x",'],
    ['a JSON array', '[{"name":"x"}]'],
    ['a JSON string', '"customer"'],
    ['JSON null', 'null'],
    ['an empty body', ''],
    [
      'a __proto__ attribute',
      '{"name":"x","engagedParty":{"id":"1","@referredType":"Organization"},"__proto__":{"polluted":true}}',
    ],
    [
      'nesting 10,000 levels deep',
      `{"name":"x","engagedParty":{"id":"1","@referredType":"Organization"},"characteristic":[{"name":"d","value":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`,
    ],
  ])('answers 400 with a TMF Error for %s', async (_label, raw) => {
    const response = await call('POST', 'customer', { raw, headers: { 'Content-Type': 'application/json' } });
    expectTmfError(response, 400);
  });

  it('answers 415 for a Content-Type other than JSON, and for none', async () => {
    const raw = JSON.stringify(validCustomer('x'));
    expectTmfError(await call('POST', 'customer', { raw, headers: { 'Content-Type': 'text/plain' } }), 415);
    expectTmfError(
      await call('POST', 'customer', { raw, headers: { 'Content-Type': 'application/merge-patch+json' } }),
      415,
    );
    expectTmfError(await call('POST', 'customer', { raw: Buffer.from(raw) }), 415);
  });

  it('answers 406 when the client accepts no JSON', async () => {
    const response = await call('POST', 'customer', {
      body: validCustomer('x'),
      headers: { Accept: 'application/xml' },
    });
    expectTmfError(response, 406);
  });

  it('answers 413 for a customer larger than a DynamoDB item can hold, and writes nothing', async () => {
    const name = uniqueName('Huge');
    const body = { ...validCustomer(name), statusReason: 'x'.repeat(450 * 1024) };
    expectTmfError(await call('POST', 'customer', { body }), 413);
    const listed = await call('GET', `customer?name=${encodeURIComponent(name)}`);
    expect(listed.body).toEqual([]);
  });

  it('answers 413 for a body over the request size limit', async () => {
    const body = { ...validCustomer('x'), statusReason: 'x'.repeat(2 * 1024 * 1024) };
    expectTmfError(await call('POST', 'customer', { body }), 413);
  });

  it('stores strings with any Unicode, empty strings and large numbers unchanged', async () => {
    const body = {
      ...validCustomer(uniqueName('Ünïcødé 🚀 名前')),
      statusReason: '',
      characteristic: [
        { name: 'big', value: 1.7976931348623157e308 },
        { name: 'nested', value: { a: [1, null, { b: '' }] } },
        { name: 'empty', value: '' },
      ],
    };
    const created = await call('POST', 'customer', { body });
    expect(created.status, created.text).toBe(201);
    const stored = await call('GET', `customer/${created.body.id}`);
    expect(stored.body).toMatchObject(body);
  });
});
