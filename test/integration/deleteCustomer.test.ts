import { describe, expect, it } from 'vitest';
import { call, createCustomer, expectTmfError, uniqueName, validCustomer } from './http.js';

describe('deleteCustomer: DELETE /customer/{id}', () => {
  it('answers 204 with no body; the customer is then gone from retrieve and list', async () => {
    const name = uniqueName('Delete');
    const created = await createCustomer(validCustomer(name));
    const response = await call('DELETE', `customer/${created.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectTmfError(await call('GET', `customer/${created.id}`), 404);
    expect((await call('GET', `customer?name=${encodeURIComponent(name)}`)).body).toEqual([]);
    expect((await call('GET', `customer?id=${created.id}`)).body).toEqual([]);
  });

  it('answers 404 for an unknown or already deleted id', async () => {
    const created = await createCustomer(validCustomer(uniqueName('Delete twice')));
    expect((await call('DELETE', `customer/${created.id}`)).status).toBe(204);
    expectTmfError(await call('DELETE', `customer/${created.id}`), 404);
    expectTmfError(await call('DELETE', 'customer/not-an-id'), 404);
  });
});
