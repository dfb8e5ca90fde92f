/** PATCH in every TMF form (chosen by Content-Type), ETag / If-Match, and concurrent writers. */
import { describe, expect, it } from 'vitest';
import { call, createCustomer, expectTmfError, uniqueName, validCustomer } from './http.js';

const JSON_PATCH = { 'Content-Type': 'application/json-patch+json' };
const PATCH_QUERY = { 'Content-Type': 'application/json-patch-query+json' };

const withContacts = (name: string) => ({
  ...validCustomer(name),
  contactMedium: [
    { mediumType: 'email', preferred: false, characteristic: { emailAddress: 'a@example.com' } },
    { mediumType: 'phone', preferred: true, characteristic: { phoneNumber: '+33 1 00 00 00 00' } },
    { mediumType: 'postalAddress', preferred: false, characteristic: { city: 'Paris', country: 'France' } },
  ],
});

describe('PATCH application/json-patch+json (RFC 6902)', () => {
  it('applies the v5 spec example (replace name, replace engagedParty)', async () => {
    const created = await createCustomer(withContacts(uniqueName('Moon')));
    const engagedParty = {
      href: 'https://host:port/tmf-api/partyManagement/v4/organization/237',
      id: '237',
      name: 'Another Long Distance Travellers',
      '@referredType': 'Organization',
    };
    const response = await call('PATCH', `customer/${created.id}`, {
      body: [
        { op: 'replace', path: '/name', value: 'Sun Football Club' },
        { op: 'replace', path: '/engagedParty', value: engagedParty },
      ],
      headers: JSON_PATCH,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ ...created, name: 'Sun Football Club', engagedParty });
  });

  it('supports add, remove, replace, move, copy and test', async () => {
    const created = await createCustomer(withContacts(uniqueName('Ops')));
    const response = await call('PATCH', `customer/${created.id}`, {
      body: [
        { op: 'test', path: '/contactMedium/0/mediumType', value: 'email' },
        { op: 'add', path: '/characteristic', value: [{ name: 'segment', value: 'gold' }] },
        { op: 'add', path: '/characteristic/-', value: { name: 'tier', value: 2 } },
        { op: 'copy', from: '/name', path: '/statusReason' },
        { op: 'move', from: '/contactMedium/2', path: '/contactMedium/0' },
        { op: 'remove', path: '/contactMedium/1' },
        { op: 'replace', path: '/contactMedium/0/preferred', value: true },
      ],
      headers: JSON_PATCH,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.characteristic).toEqual([
      { name: 'segment', value: 'gold' },
      { name: 'tier', value: 2 },
    ]);
    expect(response.body.statusReason).toBe(created.name);
    expect(response.body.contactMedium.map((m: { mediumType: string }) => m.mediumType)).toEqual([
      'postalAddress',
      'phone',
    ]);
    expect(response.body.contactMedium[0].preferred).toBe(true);
  });

  it('writes nothing when one operation fails: 409 for a failing test, 422 for a missing path', async () => {
    const created = await createCustomer(withContacts(uniqueName('Atomic')));
    const failingTest = await call('PATCH', `customer/${created.id}`, {
      body: [
        { op: 'replace', path: '/name', value: 'Changed' },
        { op: 'test', path: '/contactMedium/0/mediumType', value: 'fax' },
      ],
      headers: JSON_PATCH,
    });
    expectTmfError(failingTest, 409, /operation 1 .*test failed/);
    const missingPath = await call('PATCH', `customer/${created.id}`, {
      body: [
        { op: 'replace', path: '/name', value: 'Changed' },
        { op: 'remove', path: '/statusReason' },
      ],
      headers: JSON_PATCH,
    });
    expectTmfError(missingPath, 422, /operation 1/);
    expect((await call('GET', `customer/${created.id}`)).body).toEqual(created);
  });

  it('validates the result (400) and protects id and href (400)', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Guarded')));
    const cases = [
      [{ op: 'remove', path: '/name' }],
      [{ op: 'replace', path: '/engagedParty/id', value: 7 }],
      [{ op: 'add', path: '/favouriteColour', value: 'blue' }],
      [{ op: 'replace', path: '/id', value: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
      [{ op: 'remove', path: '/href' }],
    ];
    for (const body of cases) {
      expectTmfError(await call('PATCH', `customer/${created.id}`, { body, headers: JSON_PATCH }), 400);
    }
    // A test on id is a read, not a change.
    const tested = await call('PATCH', `customer/${created.id}`, {
      body: [
        { op: 'test', path: '/id', value: created.id },
        { op: 'add', path: '/status', value: 'Active' },
      ],
      headers: JSON_PATCH,
    });
    expect(tested.status).toBe(200);
  });

  it('answers 400 for a malformed patch document', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Malformed')));
    for (const body of [{ op: 'add' }, [{ op: 'frob', path: '/a' }], [{ op: 'add', path: '/a' }], ['x']]) {
      expectTmfError(await call('PATCH', `customer/${created.id}`, { body, headers: JSON_PATCH }), 400);
    }
  });
});

describe('PATCH application/json-patch-query+json', () => {
  it('changes preferred only in the email medium', async () => {
    const created = await createCustomer(withContacts(uniqueName('Query')));
    const response = await call('PATCH', `customer/${created.id}`, {
      body: [{ op: 'replace', path: '/contactMedium/preferred?contactMedium.mediumType=email', value: true }],
      headers: PATCH_QUERY,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.contactMedium.map((m: { preferred: boolean }) => m.preferred)).toEqual([true, true, false]);
  });

  it('applies the v5 spec example, adapted to v4 (city lives in the medium characteristic)', async () => {
    const created = await createCustomer(withContacts(uniqueName('Paris')));
    const response = await call('PATCH', `customer/${created.id}`, {
      body: [{ op: 'replace', path: '/contactMedium/preferred?characteristic.city=Paris', value: true }],
      headers: PATCH_QUERY,
    });
    expect(response.body.contactMedium.map((m: { preferred: boolean }) => m.preferred)).toEqual([false, true, true]);
  });

  it('removes the selected elements', async () => {
    const created = await createCustomer(withContacts(uniqueName('Remove')));
    const response = await call('PATCH', `customer/${created.id}`, {
      body: [{ op: 'remove', path: '/contactMedium?contactMedium.mediumType=phone' }],
      headers: PATCH_QUERY,
    });
    expect(response.body.contactMedium.map((m: { mediumType: string }) => m.mediumType)).toEqual([
      'email',
      'postalAddress',
    ]);
  });

  it('answers 422 when the query selects nothing, and writes nothing', async () => {
    const created = await createCustomer(withContacts(uniqueName('None')));
    const response = await call('PATCH', `customer/${created.id}`, {
      body: [{ op: 'replace', path: '/contactMedium/preferred?contactMedium.mediumType=fax', value: true }],
      headers: PATCH_QUERY,
    });
    expectTmfError(response, 422);
    expect((await call('GET', `customer/${created.id}`)).body).toEqual(created);
  });

  it('answers 415 for media types no PATCH format has', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Media')));
    for (const type of ['text/plain', 'application/xml', 'application/patch+json']) {
      expectTmfError(
        await call('PATCH', `customer/${created.id}`, { raw: '{}', headers: { 'Content-Type': type } }),
        415,
      );
    }
  });
});

describe('ETag and If-Match', () => {
  it('gives every representation a strong ETag that changes with each write', async () => {
    const created = await call('POST', 'customer', { body: validCustomer(uniqueName('Etag')) });
    const etag = created.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const retrieved = await call('GET', `customer/${created.body.id}`);
    expect(retrieved.headers.get('etag')).toBe(etag);
    const patched = await call('PATCH', `customer/${created.body.id}`, { body: { status: 'Active' } });
    expect(patched.headers.get('etag')).not.toBe(etag);
  });

  it('honours If-Match on PATCH: a stale tag answers 412 and changes nothing', async () => {
    const created = await call('POST', 'customer', { body: validCustomer(uniqueName('IfMatch')) });
    const etag = created.headers.get('etag') ?? '';
    const first = await call('PATCH', `customer/${created.body.id}`, {
      body: { status: 'A' },
      headers: { 'If-Match': etag },
    });
    expect(first.status).toBe(200);
    const stale = await call('PATCH', `customer/${created.body.id}`, {
      body: { status: 'B' },
      headers: { 'If-Match': etag },
    });
    expectTmfError(stale, 412);
    expect((await call('GET', `customer/${created.body.id}`)).body.status).toBe('A');
    const any = await call('PATCH', `customer/${created.body.id}`, {
      body: { status: 'C' },
      headers: { 'If-Match': '*' },
    });
    expect(any.status).toBe(200);
    const listed = await call('PATCH', `customer/${created.body.id}`, {
      body: { status: 'D' },
      headers: { 'If-Match': `"nope", ${any.headers.get('etag')}` },
    });
    expect(listed.status).toBe(200);
  });

  it('honours If-Match on DELETE', async () => {
    const created = await call('POST', 'customer', { body: validCustomer(uniqueName('IfMatchDelete')) });
    expectTmfError(await call('DELETE', `customer/${created.body.id}`, { headers: { 'If-Match': '"999"' } }), 412);
    expect((await call('GET', `customer/${created.body.id}`)).status).toBe(200);
    const deleted = await call('DELETE', `customer/${created.body.id}`, {
      headers: { 'If-Match': created.headers.get('etag') ?? '' },
    });
    expect(deleted.status).toBe(204);
  });
});

describe('concurrent writers', () => {
  it('applies 50 concurrent JSON Patch adds one after another: 50 new characteristics, none lost', async () => {
    const created = await createCustomer({ ...validCustomer(uniqueName('Fifty')), characteristic: [] });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call('PATCH', `customer/${created.id}`, {
          body: [{ op: 'add', path: '/characteristic/-', value: { name: `c${i}`, value: i } }],
          headers: JSON_PATCH,
        }),
      ),
    );
    expect(responses.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
    const final = (await call('GET', `customer/${created.id}`)).body;
    expect(final.characteristic).toHaveLength(50);
    expect(new Set(final.characteristic.map((c: { name: string }) => c.name)).size).toBe(50);
  });
});

describe('the v5 spec PATCH examples, as v4 requests', () => {
  const engagedParty = {
    '@type': 'PartyRef',
    href: 'https://host:port/tmf-api/partyManagement/v4/organization/237',
    id: '237',
    name: 'Another Long Distance Travellers',
    '@referredType': 'Organization',
  };

  it.each(['application/merge-patch+json', 'application/json'])('applies the merge example as %s', async (type) => {
    const created = await createCustomer(withContacts(uniqueName('Moon')));
    const response = await call('PATCH', `customer/${created.id}`, {
      body: { '@type': 'Customer', name: 'Sun Football Club', engagedParty },
      headers: { 'Content-Type': type },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ ...created, name: 'Sun Football Club', engagedParty });
  });
});
