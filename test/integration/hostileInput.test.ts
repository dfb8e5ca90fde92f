/**
 * Hostile input, by class, over HTTP against the local server: each request must be a 4xx with a
 * TMF Error body, answered in bounded time, with the server still answering GET /health promptly
 * and nothing stored changed. (Replayed deliveries are in notifications.test.ts, tokens and scopes
 * in localAuth.test.ts: they need a listener and LOCAL_AUTH.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { call, createCustomer, expectTmfError, uniqueName, validCustomer, type ApiResponse } from './http.js';

/** Generous for a 2-core CI machine; the refusals take milliseconds. */
const BOUND_MS = 5000;

interface Hostile {
  readonly label: string;
  readonly method: string;
  readonly path: (id: string) => string;
  readonly raw?: string;
  readonly contentType?: string;
  readonly status: number;
  readonly code: string;
  readonly message?: RegExp;
}

const merge = 'application/merge-patch+json';
const jsonPatch = 'application/json-patch+json';
const patchQuery = 'application/json-patch-query+json';
const party = '"engagedParty":{"id":"1","@referredType":"Organization"}';

const classes: Record<string, Hostile[]> = {
  'numbers beyond a double or 2^53': [
    {
      label: '1e400 in a merge patch',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: '{"creditProfile":[{"creditScore":1e400,"validFor":{"startDateTime":"2026-01-01T00:00:00Z"}}]}',
      contentType: merge,
      status: 400,
      code: 'INVALID_BODY',
      message: /creditScore is a number beyond/,
    },
    {
      label: '-1e309 in a create',
      method: 'POST',
      path: () => 'customer',
      raw: `{"name":"N",${party},"creditProfile":[{"creditScore":-1e309,"validFor":{"startDateTime":"2026-01-01T00:00:00Z"}}]}`,
      status: 400,
      code: 'INVALID_BODY',
    },
    {
      label: '2E+999 in a JSON Patch value',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: '[{"op":"add","path":"/characteristic","value":[{"name":"n","value":2E+999}]}]',
      contentType: jsonPatch,
      status: 400,
      code: 'INVALID_BODY',
    },
    {
      label: 'an integer beyond 2^53 in a JSON Patch Query',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: '[{"op":"add","path":"/characteristic","value":[{"name":"n","value":9007199254740993}]}]',
      contentType: patchQuery,
      status: 400,
      code: 'INVALID_BODY',
      message: /9007199254740993/,
    },
  ],
  'amplification and fan-out': [
    {
      label: '22 self-doubling copies',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: JSON.stringify(
        Array.from({ length: 22 }, () => ({ op: 'copy', from: '/characteristic', path: '/characteristic/-' })),
      ),
      contentType: jsonPatch,
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: /would grow past/,
    },
    {
      label: '2,500 repeated sort keys',
      method: 'GET',
      path: () => `customer?sort=${Array(2500).fill('name').join(',')}`,
      status: 400,
      code: 'INVALID_QUERY',
      message: /MAX_SORT_KEYS/,
    },
    {
      label: '680 comma-ORed values on an indexed attribute',
      method: 'GET',
      path: () => `customer?name=${Array.from({ length: 680 }, (_, i) => `n${i}`).join(',')}`,
      status: 400,
      code: 'INVALID_QUERY',
      message: /MAX_FILTER_VALUES/,
    },
    {
      label: '40 filter conditions',
      method: 'GET',
      path: () => `customer?${Array.from({ length: 40 }, (_, i) => `characteristic.value.gt=${i}`).join('&')}`,
      status: 400,
      code: 'INVALID_QUERY',
      message: /MAX_FILTER_CONDITIONS/,
    },
    {
      label: 'a JSON Patch Query selecting by 100 ORed values',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: JSON.stringify([
        {
          op: 'replace',
          path: `/characteristic/value?name=${Array.from({ length: 100 }, (_, i) => `c${i}`).join(',')}`,
          value: 1,
        },
      ]),
      contentType: patchQuery,
      status: 400,
      code: 'INVALID_QUERY',
    },
  ],
  'ill-formed Unicode and framing': [
    {
      label: 'a lone surrogate in a create',
      method: 'POST',
      path: () => 'customer',
      raw: `{"name":"a\\ud800b",${party}}`,
      status: 400,
      code: 'INVALID_BODY',
      message: /well-formed Unicode/,
    },
    {
      label: 'a lone surrogate in a merge patch key',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: '{"characteristic":[{"name":"\\udc00","value":1}]}',
      contentType: merge,
      status: 400,
      code: 'INVALID_BODY',
    },
    {
      label: 'a byte order mark',
      method: 'POST',
      path: () => 'customer',
      raw: `\ufeff{"name":"BOM",${party}}`,
      status: 400,
      code: 'INVALID_BODY',
      message: /byte order mark/,
    },
    {
      label: 'malformed JSON',
      method: 'POST',
      path: () => 'customer',
      raw: '{"name":',
      status: 400,
      code: 'INVALID_BODY',
    },
    {
      label: 'a JSON array as a customer',
      method: 'POST',
      path: () => 'customer',
      raw: '[]',
      status: 400,
      code: 'INVALID_BODY',
    },
    {
      label: 'a __proto__ path in a JSON Patch',
      method: 'PATCH',
      path: (id) => `customer/${id}`,
      raw: '[{"op":"add","path":"/engagedParty/__proto__/polluted","value":1}]',
      contentType: jsonPatch,
      status: 400,
      code: 'INVALID_BODY',
    },
  ],
};

async function send(hostile: Hostile, id: string): Promise<{ response: ApiResponse; ms: number }> {
  const started = performance.now();
  const response = await call(hostile.method, hostile.path(id), {
    ...(hostile.raw !== undefined ? { raw: hostile.raw } : {}),
    headers: { 'Content-Type': hostile.contentType ?? 'application/json' },
  });
  return { response, ms: performance.now() - started };
}

async function healthy(): Promise<void> {
  const started = performance.now();
  const health = await call('GET', '/health');
  expect(health.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(1000);
}

describe('hostile input is a 4xx in bounded time, and changes nothing', () => {
  let id: string;
  let before: ApiResponse;
  const probe = uniqueName('Hostile');

  beforeAll(async () => {
    const created = await createCustomer({
      ...validCustomer(probe),
      characteristic: Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, value: 'v'.repeat(100) })),
    });
    id = created.id as string;
    before = await call('GET', `customer/${id}`);
  });

  for (const [name, requests] of Object.entries(classes)) {
    describe(name, () => {
      it.each(requests.map((hostile) => [hostile.label, hostile] as const))('%s', async (_label, hostile) => {
        const { response, ms } = await send(hostile, id);
        expectTmfError(response, hostile.status, hostile.message);
        expect(response.body.code).toBe(hostile.code);
        expect(response.text).not.toMatch(/banPrototypeModifications|at \/|\.ts:/);
        expect(ms).toBeLessThan(BOUND_MS);
        await healthy();
        const after = await call('GET', `customer/${id}`);
        expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
        expect(after.body).toEqual(before.body);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    });
  }

  it('stored no customer from any refused create', async () => {
    for (const name of ['N', 'BOM']) {
      const found = await call('GET', `customer?name=${name}&fields=id`);
      expect(found.body, name).toEqual([]);
    }
  });
});

describe('callbacks to special-purpose addresses, with private callbacks refused (the deployed rule)', () => {
  let api: RunningLocalApi;
  beforeAll(async () => {
    api = await startLocalApi({ env: { ALLOW_PRIVATE_CALLBACKS: 'false' } });
  });
  afterAll(() => api?.stop());

  it.each([
    '[::7f00:1]',
    '[::ffff:0:a9fe:a9fe]',
    '[::ffff:127.0.0.1]',
    '[64:ff9b::a9fe:a9fe]',
    '[64:ff9b::7f00:1]',
    '[2002:a9fe:a9fe::1]',
    '[2001:0:4136:e378:8000:63bf:3fff:fdd2]',
    '[100::1]',
    '[2001:db8::1]',
    '[ff02::1]',
    '169.254.169.254',
    '192.0.2.1',
    '198.18.0.1',
    '0.0.0.0',
    '127.0.0.1',
    'localhost',
  ])('refuses a callback to %s with 400, registering nothing', async (host) => {
    const started = performance.now();
    const response = await fetch(new URL('hub', api.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ callback: `http://${host}:8080/listener` }),
    });
    const body = (await response.json()) as Record<string, string>;
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ '@type': 'Error', code: 'INVALID_BODY' });
    expect(body.message).toMatch(/special-purpose|does not resolve/);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    expect(response.headers.get('location')).toBeNull();
  });
});
