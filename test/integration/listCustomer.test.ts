import { describe, expect, it } from 'vitest';
import { call, createCustomer, expectTmfError, uniqueName, validCustomer } from './http.js';

async function createNamed(name: string, count: number) {
  const created = [];
  for (let i = 0; i < count; i++) created.push(await createCustomer(validCustomer(name)));
  return created.sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('listCustomer: GET /customer', () => {
  it('answers 200 with full representations of every customer, and count headers', async () => {
    const created = await createCustomer(validCustomer(uniqueName('List all')));
    const response = await call('GET', 'customer?limit=1000');
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    const total = Number(response.headers.get('x-total-count'));
    expect(Number(response.headers.get('x-result-count'))).toBe(response.body.length);
    expect(total).toBeGreaterThanOrEqual(1);
    for (const customer of response.body) {
      expect(Object.keys(customer)).toEqual(expect.arrayContaining(['id', 'href', '@type', 'name', 'engagedParty']));
    }
    expect(response.body.map((c: { id: string }) => c.id)).toContain(created.id);
  });

  it('lists in id (creation) order', async () => {
    const response = await call('GET', 'customer?limit=1000&fields=none');
    const ids = response.body.map((c: { id: string }) => c.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('filters by exact name through the name index', async () => {
    const name = uniqueName('Name filter');
    const created = await createNamed(name, 3);
    await createCustomer(validCustomer(`${name} and more`));
    const response = await call('GET', `customer?name=${encodeURIComponent(name)}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
    expect(response.headers.get('x-total-count')).toBe('3');
    expect(response.headers.get('x-result-count')).toBe('3');
  });

  it('ORs comma-separated names and finds nothing as 200 []', async () => {
    const [a, b] = [uniqueName('Or A'), uniqueName('Or B')];
    const created = [...(await createNamed(a, 1)), ...(await createNamed(b, 1))].sort((x, y) => (x.id < y.id ? -1 : 1));
    const both = await call('GET', `customer?name=${encodeURIComponent(`${a},${b}`)}`);
    expect(both.body).toEqual(created);
    const none = await call('GET', `customer?name=${encodeURIComponent(uniqueName('Nobody'))}`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
    expect(none.headers.get('x-total-count')).toBe('0');
  });

  it('filters by id, alone or with name (ANDed)', async () => {
    const name = uniqueName('Id filter');
    const [created] = await createNamed(name, 1);
    const byId = await call('GET', `customer?id=${created.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual([created]);
    expect((await call('GET', `customer?id=${created.id}&name=${encodeURIComponent(name)}`)).body).toEqual([created]);
    expect((await call('GET', `customer?id=${created.id}&name=other`)).body).toEqual([]);
    expect((await call('GET', 'customer?id=01ARZ3NDEKTSV4RRFFQ69G5FAV')).body).toEqual([]);
    expect((await call('GET', 'customer?id=not-a-ulid')).body).toEqual([]);
  });

  it('pages with offset and limit: 206 for part of the matches, 200 for all of them', async () => {
    const name = uniqueName('Paging');
    const created = await createNamed(name, 5);
    const q = `customer?name=${encodeURIComponent(name)}`;
    const first = await call('GET', `${q}&limit=2`);
    expect(first.status).toBe(206);
    expect(first.body).toEqual(created.slice(0, 2));
    expect(first.headers.get('x-total-count')).toBe('5');
    expect(first.headers.get('x-result-count')).toBe('2');
    const last = await call('GET', `${q}&offset=4&limit=2`);
    expect(last.status).toBe(206);
    expect(last.body).toEqual(created.slice(4));
    const all = await call('GET', `${q}&offset=0&limit=5`);
    expect(all.status).toBe(200);
    expect(all.body).toEqual(created);
    const beyond = await call('GET', `${q}&offset=10`);
    expect(beyond.body).toEqual([]);
    expect(beyond.headers.get('x-total-count')).toBe('5');
  });

  it('pages the unfiltered list consistently with X-Total-Count', async () => {
    await createCustomer(validCustomer(uniqueName('Unfiltered')));
    await createCustomer(validCustomer(uniqueName('Unfiltered')));
    const page = await call('GET', 'customer?limit=1&fields=none');
    expect(page.status).toBe(206);
    expect(page.body).toHaveLength(1);
    expect(Number(page.headers.get('x-total-count'))).toBeGreaterThanOrEqual(2);
    const second = await call('GET', 'customer?offset=1&limit=1&fields=none');
    expect(second.body).toHaveLength(1);
    expect(second.body[0].id > page.body[0].id).toBe(true);
  });

  it('selects fields on every element', async () => {
    const name = uniqueName('List fields');
    const [created] = await createNamed(name, 1);
    const response = await call('GET', `customer?name=${encodeURIComponent(name)}&fields=name`);
    expect(response.body).toEqual([{ id: created.id, href: created.href, name }]);
    const hrefOnly = await call('GET', `customer?name=${encodeURIComponent(name)}&fields=href`);
    expect(hrefOnly.body).toEqual([{ id: created.id, href: created.href }]);
  });

  it.each([
    ['limit=abc', /limit/],
    ['limit=-1', /limit/],
    ['limit=1.5', /limit/],
    ['limit=1001', /limit: 1001 is above the maximum of 1000/],
    ['offset=-1', /offset/],
    ['offset=abc', /offset/],
    ['limit=1&limit=2', /limit: given more than once/],
    ['fields=na%20me', /fields/],
    ['colour=blue', /colour: not an attribute of Customer/],
  ])('answers 400 naming the parameter for %s', async (query, pattern) => {
    expectTmfError(await call('GET', `customer?${query}`), 400, pattern);
  });

  it('answers limit=0 with no customers and the count, for the whole list and for an indexed filter', async () => {
    const response = await call('GET', 'customer?limit=0');
    expect(response.body).toEqual([]);
    expect(Number(response.headers.get('x-total-count'))).toBeGreaterThan(0);
    expect(response.headers.get('x-result-count')).toBe('0');
    const name = uniqueName('Count only');
    await createNamed(name, 2);
    const byName = await call('GET', `customer?name=${encodeURIComponent(name)}&limit=0`);
    expect(byName.status).toBe(206);
    expect(byName.body).toEqual([]);
    expect(byName.headers.get('x-total-count')).toBe('2');
  });

  it('counts an indexed filter exactly when the page is full, from the kept counters', async () => {
    const name = uniqueName('Counted');
    const created = await createNamed(name, 4);
    await call('DELETE', `customer/${created[0].id}`);
    await call('PATCH', `customer/${created[1].id}`, { body: { name: `${name} renamed` } });
    const response = await call('GET', `customer?name=${encodeURIComponent(name)}&limit=1`);
    expect(response.headers.get('x-total-count')).toBe('2');
    expect(response.body.map((c: { id: string }) => c.id)).toEqual([created[2].id]);
  });
});
