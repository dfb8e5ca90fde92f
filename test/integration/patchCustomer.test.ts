import { describe, expect, it } from 'vitest';
import { call, createCustomer, expectTmfError, uniqueName, validCustomer } from './http.js';

const MERGE = { 'Content-Type': 'application/merge-patch+json' };

describe('patchCustomer: PATCH /customer/{id} (JSON Merge Patch)', () => {
  it('applies a plain application/json body as a merge patch and answers the updated Customer', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Moon')));
    const response = await call('PATCH', `customer/${created.id}`, { body: { name: 'Sun Football Club' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...created, name: 'Sun Football Club' });
    expect((await call('GET', `customer/${created.id}`)).body).toEqual(response.body);
    expect(response.headers.get('etag')).not.toBe(null);
  });

  it('removes attributes set to null and merges nested objects (RFC 7396)', async () => {
    const created = await createCustomer({
      ...validCustomer(uniqueName('Merge')),
      status: 'Pending',
      statusReason: 'waiting',
      validFor: { startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2027-01-01T00:00:00Z' },
    });
    const response = await call('PATCH', `customer/${created.id}`, {
      body: { statusReason: null, status: 'Approved', validFor: { endDateTime: null }, engagedParty: { name: 'ACME' } },
      headers: MERGE,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.statusReason).toBeUndefined();
    expect(response.body.status).toBe('Approved');
    expect(response.body.validFor).toEqual({ startDateTime: '2026-01-01T00:00:00Z' });
    expect(response.body.engagedParty).toEqual({ '@referredType': 'Organization', id: '500', name: 'ACME' });
  });

  it('replaces arrays whole', async () => {
    const created = await createCustomer({
      ...validCustomer(uniqueName('Arrays')),
      characteristic: [
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
      ],
    });
    const response = await call('PATCH', `customer/${created.id}`, {
      body: { characteristic: [{ name: 'c', value: 3 }] },
      headers: MERGE,
    });
    expect(response.body.characteristic).toEqual([{ name: 'c', value: 3 }]);
  });

  it('does not require engagedParty in the patch', async () => {
    const created = await createCustomer(validCustomer(uniqueName('No party')));
    const response = await call('PATCH', `customer/${created.id}`, { body: { status: 'Active' } });
    expect(response.status).toBe(200);
    expect(response.body.engagedParty).toEqual(created.engagedParty);
  });

  it('answers 400 and writes nothing when the result is not a valid Customer', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Invalid result')));
    expectTmfError(await call('PATCH', `customer/${created.id}`, { body: { name: null } }), 400, /name: is mandatory/);
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { body: { engagedParty: null } }),
      400,
      /engagedParty: is mandatory/,
    );
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { body: { engagedParty: { id: 5 } } }),
      400,
      /engagedParty\.id: must be string/,
    );
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, {
        body: { status: 'Active', contactMedium: [{ mediumType: 'email' }] },
      }),
      400,
      /contactMedium\[0\]\.characteristic/,
    );
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { body: { shoeSize: 42 } }),
      400,
      /shoeSize: is not a known attribute/,
    );
    expect((await call('GET', `customer/${created.id}`)).body).toEqual(created);
  });

  it.each(['id', 'href'])('answers 400 when the patch touches %s', async (attribute) => {
    const created = await createCustomer(validCustomer(uniqueName('Server owned')));
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { body: { [attribute]: created[attribute] } }),
      400,
      new RegExp(attribute),
    );
  });

  it('keeps @type Customer when a patch removes it', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Type')));
    const response = await call('PATCH', `customer/${created.id}`, { body: { '@type': null } });
    expect(response.body['@type']).toBe('Customer');
  });

  it('answers 404 for an unknown id', async () => {
    expectTmfError(await call('PATCH', 'customer/01ARZ3NDEKTSV4RRFFQ69G5FAV', { body: { name: 'x' } }), 404);
    expectTmfError(await call('PATCH', 'customer/c2df1950-c17c-4576-9c22-e59073a4a86a', { body: { name: 'x' } }), 404);
  });

  it('answers 400 for a body that is not a JSON object, and 415 for other media types', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Bad patch')));
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { raw: '[]', headers: { 'Content-Type': 'application/json' } }),
      400,
    );
    expectTmfError(await call('PATCH', `customer/${created.id}`, { raw: '{bad', headers: MERGE }), 400);
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { raw: '{}', headers: { 'Content-Type': 'application/xml' } }),
      415,
    );
  });

  it('answers 413 when the patched customer would not fit in an item, and keeps the old one', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Grow')));
    expectTmfError(
      await call('PATCH', `customer/${created.id}`, { body: { statusReason: 'y'.repeat(420 * 1024) } }),
      413,
    );
    expect((await call('GET', `customer/${created.id}`)).body).toEqual(created);
  });

  it('applies concurrent patches one after another, losing none', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Concurrent')));
    const patches = [
      { status: 'Approved' },
      { statusReason: 'verified' },
      { validFor: { startDateTime: '2026-01-01T00:00:00Z' } },
      { engagedParty: { name: 'ACME' } },
    ];
    const responses = await Promise.all(patches.map((body) => call('PATCH', `customer/${created.id}`, { body })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = (await call('GET', `customer/${created.id}`)).body;
    expect(final).toMatchObject({
      status: 'Approved',
      statusReason: 'verified',
      validFor: { startDateTime: '2026-01-01T00:00:00Z' },
      engagedParty: { name: 'ACME', id: '500' },
    });
  });
});
