import { describe, expect, it } from 'vitest';
import { call, createCustomer, expectTmfError, uniqueName, validCustomer } from './http.js';

describe('retrieveCustomer: GET /customer/{id}', () => {
  it('answers 200 with the full representation and an ETag', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Retrieve')));
    const response = await call('GET', `customer/${created.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
    expect(Object.keys(response.body)).toEqual(expect.arrayContaining(['id', 'href', '@type', 'name', 'engagedParty']));
    expect(response.headers.get('etag')).toMatch(/^"\d+"$/);
  });

  it('selects first-level attributes with fields, always keeping id and href', async () => {
    const created = await createCustomer({ ...validCustomer(uniqueName('Fields')), status: 'Approved' });
    const named = await call('GET', `customer/${created.id}?fields=name,status`);
    expect(named.body).toEqual({ id: created.id, href: created.href, name: created.name, status: 'Approved' });
    const none = await call('GET', `customer/${created.id}?fields=none`);
    expect(none.body).toEqual({ id: created.id, href: created.href });
    const typed = await call('GET', `customer/${created.id}?fields=@type,engagedParty`);
    expect(typed.body).toEqual({
      id: created.id,
      href: created.href,
      '@type': 'Customer',
      engagedParty: created.engagedParty,
    });
  });

  it('answers 404 with a TMF Error for an unknown id, whatever its shape', async () => {
    for (const id of [
      '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      'c2df1950-c17c-4576-9c22-e59073a4a86a',
      'x'.repeat(3000),
      '%E2%82%AC',
      "'; DROP TABLE--",
    ]) {
      expectTmfError(await call('GET', `customer/${encodeURIComponent(id)}`), 404);
    }
  });

  it('answers 400 for a malformed fields value or an unknown query parameter', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Bad query')));
    expectTmfError(await call('GET', `customer/${created.id}?fields=name;drop`), 400, /fields/);
    expectTmfError(await call('GET', `customer/${created.id}?expand=all`), 400, /expand/);
  });
});
