import { describe, expect, it } from 'vitest';
import { MemoryCustomerStore } from '../../test/support/memoryStores.js';
import { createCustomerV5 } from '../domain/v5/customerV5.js';
import { patchCustomerV5 } from '../domain/v5/patchCustomerV5.js';
import { createCustomer } from '../domain/createCustomer.js';
import { exportCustomers } from './exportCustomers.js';
import { prepareRecord } from './importCustomers.js';
import { customerV5Of } from '../domain/v5/customerMapping.js';

const party = { id: '500', '@referredType': 'Organization', name: 'Moon Ltd' };

async function twoCustomers() {
  const store = new MemoryCustomerStore();
  const context = { baseUrl: 'http://api.test/tmf-api/customerManagement/v4' };
  await createCustomer(
    store,
    {
      name: 'Moon',
      engagedParty: party,
      contactMedium: [{ mediumType: 'email', characteristic: { emailAddress: 'a@moon.example' } }],
    },
    context,
  );
  await createCustomerV5(
    store,
    {
      '@type': 'Customer',
      name: 'Sun',
      description: 'v5 only',
      engagedParty: { '@type': 'PartyRef', ...party },
      contactMedium: [{ '@type': 'SocialContactMedium', socialNetworkId: '@sun' }],
    },
    context,
  );
  return store;
}

async function lines(store: MemoryCustomerStore, options: Parameters<typeof exportCustomers>[1]) {
  const written: Record<string, unknown>[] = [];
  await exportCustomers(store, options, (line) => void written.push(JSON.parse(line) as Record<string, unknown>));
  return written.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

describe('exportCustomers', () => {
  it('writes v4 Customers by default, whichever version created them, with nothing v5-only', async () => {
    const written = await lines(await twoCustomers(), { query: {} });
    expect(written.map((customer) => customer.name)).toEqual(['Moon', 'Sun']);
    expect(written[1]).not.toHaveProperty('description');
    expect(JSON.stringify(written)).not.toContain('@v5');
    expect(written[0]?.contactMedium).toEqual([
      { mediumType: 'email', characteristic: { emailAddress: 'a@moon.example' } },
    ]);
  });

  it('writes v5 Customers with --representation v5, filtering on v5 paths, hrefs under the v5 base', async () => {
    const store = await twoCustomers();
    const all = await lines(store, { query: {}, representation: 'v5', baseUrl: 'http://api.test/tmf-api/customer/v5' });
    expect(all[0]).toMatchObject({
      '@type': 'Customer',
      href: `http://api.test/tmf-api/customer/v5/customer/${String(all[0]?.id)}`,
      contactMedium: [{ '@type': 'EmailContactMedium', emailAddress: 'a@moon.example' }],
    });
    expect(all[1]).toMatchObject({ description: 'v5 only', contactMedium: [{ '@type': 'SocialContactMedium' }] });
    const social = await lines(store, {
      query: { 'contactMedium.@type': ['SocialContactMedium'], fields: ['name'] },
      representation: 'v5',
    });
    expect(social.map((customer) => customer.name)).toEqual(['Sun']);
  });

  it('round-trips through import --representation v5: every customer reads back the same in v5', async () => {
    const store = await twoCustomers();
    // What only a v5 PATCH sets (a contact medium's id; Customer_FVO has none) comes back too.
    const [sun] = await lines(store, { query: { name: ['Sun'] }, representation: 'v5' });
    await patchCustomerV5(
      store,
      String(sun?.id),
      [{ op: 'add', path: '/contactMedium/0/id', value: 'cm-1' }],
      'json-patch',
      {},
      { baseUrl: '' },
    );
    const exported = await lines(store, { query: {}, representation: 'v5' });
    expect(JSON.stringify(exported)).toContain('"id":"cm-1"');
    for (const line of exported) {
      const { doc } = await prepareRecord(store, line, 'v5');
      expect(doc.id).toBe(line.id);
      expect(customerV5Of(doc)).toEqual(line);
    }
  });

  it('refuses, on a v5 import, a record v5 would refuse on create (an unknown @type)', async () => {
    const record = {
      '@type': 'Customer',
      name: 'Pigeon',
      engagedParty: { '@type': 'PartyRef', id: '1', '@referredType': 'Individual' },
      contactMedium: [{ '@type': 'PigeonContactMedium' }],
    };
    await expect(prepareRecord(new MemoryCustomerStore(), record, 'v5')).rejects.toThrow(/is not a known type here/);
  });
});
