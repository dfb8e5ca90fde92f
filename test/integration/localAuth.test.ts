/** The local server with LOCAL_AUTH=true checks the same scopes as the deployed API Gateway. */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { SignJWT } from 'jose';
import { localClient, localSigningKey, mintToken } from '../../local/auth.js';
import { descriptionFindings } from '../../bin/check-description.js';

let api: RunningLocalApi;
const body = JSON.stringify({ name: 'Auth', engagedParty: { id: '1', '@referredType': 'Organization' } });

beforeAll(async () => {
  api = await startLocalApi({ env: { LOCAL_AUTH: 'true' } });
});
afterAll(() => api?.stop());

async function send(method: string, path: string, token?: string, sent = body) {
  const response = await fetch(new URL(path, api.baseUrl), {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: method === 'POST' ? sent : undefined,
  });
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body: (await response.json().catch(() => undefined)) as Record<string, string> | undefined,
  };
}

/** A token signed with the right key whose claims are chosen by the test. */
function forged(claims: Record<string, unknown>, lifetime: { iat?: number; exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ scope: 'tmf629/customer.read', token_use: 'access', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('tmf629-local');
  if (lifetime.iat !== -1) jwt = jwt.setIssuedAt(lifetime.iat ?? now);
  if (lifetime.exp !== -1) jwt = jwt.setExpirationTime(lifetime.exp ?? now + 600);
  return jwt.sign(localSigningKey(api.dataDir));
}

describe('local server with LOCAL_AUTH=true', () => {
  it('answers 401 with a TMF Error without a valid token', async () => {
    const clientId = localClient(api.dataDir).clientId;
    for (const token of [
      undefined,
      'not-a-jwt',
      await mintToken(new Uint8Array(32), clientId, ['tmf629/customer.read']),
    ]) {
      const response = await send('GET', 'customer', token);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ '@type': 'Error', code: 'UNAUTHORIZED', status: '401' });
      // RFC 6750 §3: the scheme, and invalid_token when one was sent.
      expect(response.wwwAuthenticate).toMatch(/^Bearer realm="tmf629"/);
      if (token) expect(response.wwwAuthenticate).toMatch(/error="invalid_token"/);
    }
    const expired = await mintToken(localSigningKey(api.dataDir), clientId, ['tmf629/customer.read'], -60);
    expect((await send('GET', 'customer', expired)).status).toBe(401);
  });

  it('accepts only what Cognito would issue: an access token of this client with iat and exp, living a day at most', async () => {
    const clientId = localClient(api.dataDir).clientId;
    const now = Math.floor(Date.now() / 1000);
    expect((await send('GET', 'customer', await forged({ client_id: clientId }))).status).toBe(200);
    for (const [label, token] of [
      ['no exp', await forged({ client_id: clientId }, { exp: -1 })],
      ['no iat', await forged({ client_id: clientId }, { iat: -1 })],
      ['another client', await forged({ client_id: 'someone-else' })],
      ['no client', await forged({})],
      ['an id token', await forged({ client_id: clientId, token_use: 'id' })],
      ['a ten-year lifetime', await forged({ client_id: clientId }, { exp: now + 10 * 365 * 86400 })],
      ['issued in the future', await forged({ client_id: clientId }, { iat: now + 3600, exp: now + 7200 })],
    ] as const) {
      expect({ label, status: (await send('GET', 'customer', token)).status }).toEqual({ label, status: 401 });
    }
  });

  it('refuses client credentials with anything after the secret in Basic authentication', async () => {
    const { clientId, clientSecret } = localClient(api.dataDir);
    const tokenUrl = new URL('/oauth2/token', api.baseUrl);
    const ask = (credentials: string) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      }).then((response) => response.status);
    expect(await ask(`${clientId}:${clientSecret}`)).toBe(200);
    expect(await ask(`${clientId}:${clientSecret}:extra`)).toBe(401);
    expect(await ask(`${clientId}`)).toBe(401);
  });

  it('lets a hub-only token register no listener: events carry customers, so it needs customer read too', async () => {
    const key = localSigningKey(api.dataDir);
    const clientId = localClient(api.dataDir).clientId;
    const hubOnly = await mintToken(key, clientId, ['tmf629/hub']);
    const hubAndRead = await mintToken(key, clientId, ['tmf629/hub', 'tmf629/customer.read']);
    const listener = JSON.stringify({ callback: 'http://127.0.0.1:9/listener' });
    const refused = await send('POST', 'hub', hubOnly, listener);
    expect(refused.status).toBe(403);
    expect(refused.body?.message).toMatch(/tmf629\/customer\.read/);
    const registered = await send('POST', 'hub', hubAndRead, listener);
    expect(registered.status).toBe(201);
    // Reading and removing a subscription reveal no customer: the hub scope alone does.
    expect((await send('GET', `hub/${registered.body?.id}`, hubOnly)).status).toBe(200);
    expect((await send('DELETE', `hub/${registered.body?.id}`, hubOnly)).status).toBe(204);
  });

  it('guards the local dead letters (customer documents) like the hub and customer reads', async () => {
    const key = localSigningKey(api.dataDir);
    const clientId = localClient(api.dataDir).clientId;
    const deadLetters = (token?: string) => send('GET', '/local/dead-letters', token);
    expect((await deadLetters()).status).toBe(401);
    expect((await deadLetters(await mintToken(key, clientId, ['tmf629/hub']))).status).toBe(403);
    expect((await deadLetters(await mintToken(key, clientId, ['tmf629/customer.read']))).status).toBe(403);
    const both = await mintToken(key, clientId, ['tmf629/hub', 'tmf629/customer.read']);
    expect((await deadLetters(both)).status).toBe(200);
  });

  it('lets a read scope read but not write (403), and a write scope write', async () => {
    const key = localSigningKey(api.dataDir);
    const clientId = localClient(api.dataDir).clientId;
    const reader = await mintToken(key, clientId, ['tmf629/customer.read']);
    const writer = await mintToken(key, clientId, ['tmf629/customer.write']);
    expect((await send('GET', 'customer', reader)).status).toBe(200);
    const refused = await send('POST', 'customer', reader);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ '@type': 'Error', code: 'FORBIDDEN', status: '403' });
    expect((await send('POST', 'customer', writer)).status).toBe(201);
    expect((await send('GET', 'customer', writer)).status).toBe(403);
  });

  it('mints working tokens with `npm run token`', async () => {
    const token = execFileSync(process.execPath, ['--import', 'tsx', 'bin/token.ts', 'customer.read'], {
      env: { ...process.env, DATA_DIR: api.dataDir },
      encoding: 'utf8',
    }).trim();
    expect((await send('GET', 'customer', token)).status).toBe(200);
  });

  it('describes its OAuth2 security so that both linters find no error and the documents agree', async () => {
    // The same check `npm run check-description` makes on a stage: Spectral, Redocly, validity, operations.
    expect(await descriptionFindings(api.baseUrl)).toEqual([]);
    const openapi = (await (await fetch(new URL('openapi.json', api.baseUrl))).json()) as any;
    expect(openapi.components.securitySchemes.tmf629.type).toBe('oauth2');
    expect(openapi.paths['/customer'].get.security[0]).toEqual({ tmf629: ['tmf629/customer.read'] });
  }, 60_000);
});
