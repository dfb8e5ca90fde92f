import { describe, expect, it } from 'vitest';
import { parseIntegrationClients } from './integrationClients.js';

describe('parseIntegrationClients', () => {
  it('reads one client per system with the access it names', () => {
    expect(parseIntegrationClients(['crm:read', ' billing:read+write ', 'events:hub'], 'integrationClients')).toEqual([
      { name: 'crm', access: ['read'] },
      { name: 'billing', access: ['read', 'write'] },
      { name: 'events', access: ['hub'] },
    ]);
    expect(parseIntegrationClients(undefined, 'integrationClients')).toEqual([]);
  });

  it('takes callback URLs for authorization-code clients only', () => {
    expect(
      parseIntegrationClients(
        ['sf:read=https://acme.my.salesforce.com/services/authcallback/tmf|http://localhost:8080/cb'],
        'x',
        true,
      ),
    ).toEqual([
      {
        name: 'sf',
        access: ['read'],
        callbackUrls: ['https://acme.my.salesforce.com/services/authcallback/tmf', 'http://localhost:8080/cb'],
      },
    ]);
    expect(() => parseIntegrationClients(['sf:read=https://a.example/cb'], 'integrationClients')).toThrow(
      /only authorization-code/,
    );
    expect(() => parseIntegrationClients(['sf:read=http://evil.example/cb'], 'x', true)).toThrow(/https URL/);
  });

  it.each([
    ['crm', /access must be/],
    ['crm:admin', /access must be/],
    ['crm:read+', /access must be/],
    ['1crm:read', /name must be/],
    ['c-rm:read', /name must be/],
  ])('refuses %s at synth', (entry, message) => {
    expect(() => parseIntegrationClients([entry], 'integrationClients')).toThrow(message);
  });

  it('refuses a system declared twice', () => {
    expect(() => parseIntegrationClients(['crm:read', 'CRM:write'], 'integrationClients')).toThrow(/twice/);
  });
});
