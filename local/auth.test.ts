import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken, localAuthorizer, localClient, localSigningKey } from './auth.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tmf629-auth-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the local client-credentials endpoint', () => {
  const key = localSigningKey(dataDir);
  const client = localClient(dataDir);
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const grant = (scope?: string) =>
    new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });

  it('keeps one client per data folder, readable by its owner only', () => {
    expect(localClient(dataDir)).toEqual(client);
    expect(statSync(join(dataDir, 'local-client.json')).mode & 0o077).toBe(0);
  });

  it('issues a token the local authorizer accepts, with the scopes asked for', async () => {
    const answer = await issueToken(
      key,
      client,
      basic(client.clientId, client.clientSecret),
      grant('tmf629/customer.read'),
    );
    expect(answer).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600 } });
    const authorize = localAuthorizer(key, client.clientId);
    const bearer = `Bearer ${answer.body.access_token as string}`;
    await expect(authorize(bearer, 'tmf629/customer.read')).resolves.toEqual(['tmf629/customer.read']);
    await expect(authorize(bearer, 'tmf629/customer.write')).rejects.toThrow(/scope/);
  });

  it('takes the client in the form too, and gives every scope when none is asked for', async () => {
    const form = grant();
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
    const answer = await issueToken(key, client, undefined, form);
    expect(answer.status).toBe(200);
    await expect(
      localAuthorizer(key, client.clientId)(`Bearer ${answer.body.access_token as string}`, 'tmf629/hub'),
    ).resolves.toContain('tmf629/hub');
  });

  it('refuses a wrong secret, another grant and an unknown scope as OAuth2 says', async () => {
    expect(await issueToken(key, client, basic(client.clientId, 'wrong'), grant())).toEqual({
      status: 401,
      body: { error: 'invalid_client' },
    });
    const password = new URLSearchParams({ grant_type: 'password' });
    expect((await issueToken(key, client, basic(client.clientId, client.clientSecret), password)).body).toEqual({
      error: 'unsupported_grant_type',
    });
    expect(
      (await issueToken(key, client, basic(client.clientId, client.clientSecret), grant('tmf629/admin'))).body,
    ).toEqual({ error: 'invalid_scope' });
  });
});
