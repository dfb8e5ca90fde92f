/**
 * `npm run postman`'s collection, made from the live openapi.json by Postman's converter, runs
 * with Newman against the local server: its requests are well-formed and its sample create works.
 */
import newman from 'newman';
import { describe, expect, it } from 'vitest';
import { descriptionFrom, localOrigin, postmanAssets } from '../../bin/postman.js';
import { baseUrl } from './http.js';

/** The methods of the eight operations each version has (customer: 5, hub: 3), sorted. */
const EIGHT_OPERATIONS = ['DELETE', 'DELETE', 'GET', 'GET', 'GET', 'PATCH', 'POST', 'POST'];

describe('the Postman collection', () => {
  it('is made from the live description and runs against the server', async () => {
    const { collection, environment } = await postmanAssets(await descriptionFrom(baseUrl()));
    const requests = (collection.item as any[]).flatMap((folder) => folder.item);
    expect(requests.map((item) => item.request.method).sort()).toEqual(EIGHT_OPERATIONS);
    expect(collection.auth).toBeUndefined(); // the local server is open without LOCAL_AUTH
    expect(environment.values[0]).toMatchObject({ key: 'baseUrl', value: baseUrl().replace(/\/$/, '') });
    const only = ['Creates a Customer', 'List or find Customer objects'];
    const summary = await new Promise<newman.NewmanRunSummary>((done, fail) =>
      newman.run(
        {
          collection: {
            ...collection,
            item: [{ name: 'customer', item: requests.filter((r) => only.includes(r.name)) }],
          },
          environment,
          reporters: [],
        },
        (error, result) => (error ? fail(error) : done(result)),
      ),
    );
    const answers = Object.fromEntries(summary.run.executions.map((e) => [e.item.name, e.response?.code]));
    expect(answers['Creates a Customer']).toBe(201);
    expect([200, 206]).toContain(answers['List or find Customer objects']);
  }, 60_000);

  it('is made for v5 too, from the live v5 description, and its create and list run', async () => {
    const { collection, environment } = await postmanAssets(await descriptionFrom(baseUrl(), undefined, 'v5'));
    const requests = (collection.item as any[]).flatMap((folder) => folder.item ?? [folder]);
    expect(requests.map((item) => item.request.method).sort()).toEqual(EIGHT_OPERATIONS);
    expect(environment.values[0]).toMatchObject({
      key: 'baseUrl',
      value: baseUrl().replace(/\/$/, '').replace('/tmf-api/customerManagement/v4', '/tmf-api/customer/v5'),
    });
    const create = requests.find((r) => r.request.method === 'POST' && r.request.url.path.includes('customer'));
    const list = requests.find((r) => r.request.method === 'GET' && r.request.url.path.at(-1) === 'customer');
    const summary = await new Promise<newman.NewmanRunSummary>((done, fail) =>
      newman.run(
        { collection: { ...collection, item: [create, list] }, environment, reporters: [] },
        (error, result) => (error ? fail(error) : done(result)),
      ),
    );
    // The converter's create body is the official v5 example (Customer_Create_example_request).
    const [created, listed] = summary.run.executions.map((e) => e.response?.code);
    expect(created).toBe(201);
    expect([200, 206]).toContain(listed);
  }, 60_000);

  it('preconfigures OAuth2 client credentials when the description declares them', async () => {
    const { collection, environment } = await postmanAssets(await descriptionFrom(undefined));
    const auth = Object.fromEntries(
      (collection.auth.oauth2 as { key: string; value: string }[]).map((p) => [p.key, p.value]),
    );
    expect(collection.auth.type).toBe('oauth2');
    expect(auth).toMatchObject({
      grant_type: 'client_credentials',
      accessTokenUrl: '{{tokenUrl}}',
      clientId: '{{clientId}}',
      clientSecret: '{{clientSecret}}',
    });
    const values = Object.fromEntries(
      (environment.values as { key: string; value: string }[]).map((v) => [v.key, v.value]),
    );
    expect(values.tokenUrl).toBe('http://127.0.0.1:3000/oauth2/token');
    expect(values.scope).toBe('tmf629/customer.read tmf629/customer.write tmf629/hub');
    for (const item of (collection.item as any[]).flatMap((folder) => folder.item))
      expect(item.request.auth).toBeUndefined(); // inherited
  });

  it('follows PORT and HOST as npm start does, and fills in the local client of DATA_DIR', async () => {
    expect(localOrigin({ PORT: '3100' })).toBe('http://127.0.0.1:3100');
    expect(localOrigin({ PORT: '3100', HOST: '0.0.0.0' })).toBe('http://127.0.0.1:3100');
    expect(localOrigin({ HOST: '::1' })).toBe('http://[::1]:3000');
    const document = await descriptionFrom(undefined, localOrigin({ PORT: '3100' }));
    expect(document.servers[0].url).toBe('http://127.0.0.1:3100/tmf-api/customerManagement/v4');
    const { environment } = await postmanAssets(document, { clientId: 'local-abc', clientSecret: 's3cret' });
    const values = Object.fromEntries(
      (environment.values as { key: string; value: string }[]).map((v) => [v.key, v.value]),
    );
    expect(values).toMatchObject({
      baseUrl: 'http://127.0.0.1:3100/tmf-api/customerManagement/v4',
      tokenUrl: 'http://127.0.0.1:3100/oauth2/token',
      clientId: 'local-abc',
      clientSecret: 's3cret',
    });
  });
});
