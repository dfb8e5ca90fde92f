/** The local server with LOCAL_AUTH=true checks the same scopes as the deployed API Gateway. */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../localApi.js';
import { localSigningKey, mintToken } from '../../local/auth.js';

let api: RunningLocalApi;
const body = JSON.stringify({ name: 'Auth', engagedParty: { id: '1', '@referredType': 'Organization' } });

beforeAll(async () => {
  api = await startLocalApi({ env: { LOCAL_AUTH: 'true' } });
});
afterAll(() => api?.stop());

async function send(method: string, path: string, token?: string) {
  const response = await fetch(new URL(path, api.baseUrl), {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: method === 'POST' ? body : undefined,
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as Record<string, string> | undefined,
  };
}

describe('local server with LOCAL_AUTH=true', () => {
  it('answers 401 with a TMF Error without a valid token', async () => {
    for (const token of [undefined, 'not-a-jwt', await mintToken(new Uint8Array(32), ['tmf629/customer.read'])]) {
      const response = await send('GET', 'customer', token);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ '@type': 'Error', code: 'UNAUTHORIZED', status: '401' });
    }
    const expired = await mintToken(localSigningKey(api.dataDir), ['tmf629/customer.read'], -60);
    expect((await send('GET', 'customer', expired)).status).toBe(401);
  });

  it('lets a read scope read but not write (403), and a write scope write', async () => {
    const key = localSigningKey(api.dataDir);
    const reader = await mintToken(key, ['tmf629/customer.read']);
    const writer = await mintToken(key, ['tmf629/customer.write']);
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
});
