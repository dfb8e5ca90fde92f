/** A small client for the integration tests: every call goes over HTTP to the local API. */
import { expect, inject } from 'vitest';

export const baseUrl = (): string => inject('apiBaseUrl');

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

export async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: string | Buffer | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, baseUrl()), { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export const validCustomer = (name: string) => ({
  name,
  engagedParty: { '@referredType': 'Organization', id: '500' },
});

/** A name no other test uses, so filters and counts see only this test's customers. */
export const uniqueName = (label: string) => `${label} ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

export async function createCustomer(body: unknown): Promise<any> {
  const response = await call('POST', 'customer', { body });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
  return response.body;
}

/** Every error answer carries the TMF Error body with the HTTP status as a string. */
export function expectTmfError(response: ApiResponse, status: number, messagePattern?: RegExp): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.body).toMatchObject({
    '@type': 'Error',
    code: expect.stringMatching(/.+/),
    reason: expect.stringMatching(/.+/),
    message: expect.stringMatching(/.+/),
    status: String(status),
  });
  if (messagePattern) expect(response.body.message).toMatch(messagePattern);
  // Never a stack trace or an internal path in what the client sees.
  expect(response.text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\.ts:/);
}

/** One JSON request to any server (a test's own local API): status, headers and the parsed body. */
export async function sendJson(
  method: string,
  url: string | URL,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Polls `probe` until it gives a value (a delivery arrived, a job finished), or fails after the timeout. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
