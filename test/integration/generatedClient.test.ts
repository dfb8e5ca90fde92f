/**
 * An integrator's typed client, made by tools nobody here wrote: openapi-typescript generates its
 * types from the live openapi.json, `tsc --strict` compiles test/generatedClient/drive.ts against
 * them, and openapi-fetch makes its calls. Every answer it received is then checked against the
 * description with every schema closed (no undeclared property or header). In both security
 * modes: the open local server, and one with LOCAL_AUTH (OAuth2 tokens).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient, localSigningKey, mintToken } from '../../local/auth.js';
import { ALL_SCOPES } from '../../functions/operations.js';
import { ApiContract } from '../apiContract.js';
import { startLocalApi, type RunningLocalApi } from '../../local/childServer.js';
import { baseUrl } from './http.js';

const root = join(import.meta.dirname, '..', '..');
const clientDir = join(root, 'test', 'generatedClient');
let listener: Server;
let callbackUrl = '';
let authApi: RunningLocalApi | undefined;

beforeAll(async () => {
  listener = createServer((request, response) => request.resume().on('end', () => response.writeHead(204).end()));
  await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
  callbackUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/listener`;
});
afterAll(async () => {
  await new Promise<void>((done) => listener.close(() => done()));
  await authApi?.stop();
});

interface Observed {
  operationId: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

async function generateCompileAndDrive(
  mode: string,
  base: string,
  token?: string,
  drive = 'drive.ts',
): Promise<Observed[]> {
  const run = join(clientDir, '.runs', `${mode}-${process.pid}`);
  rmSync(run, { recursive: true, force: true });
  mkdirSync(join(run, 'generated'), { recursive: true });
  try {
    const described = await fetch(new URL('openapi.json', base));
    expect(described.status).toBe(200);
    writeFileSync(join(run, 'openapi.json'), await described.text());
    copyFileSync(join(clientDir, drive), join(run, 'drive.ts'));
    execFileSync(
      join(root, 'node_modules', '.bin', 'openapi-typescript'),
      [join(run, 'openapi.json'), '-o', join(run, 'generated', 'openapi.d.ts')],
      { cwd: run, stdio: 'pipe' },
    );
    writeFileSync(
      join(run, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['drive.ts'],
      }),
    );
    const compiled = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(run, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    expect(compiled.stdout + compiled.stderr, 'tsc --strict on the generated client').toBe('');
    expect(compiled.status).toBe(0);
    const driven = spawnSync(process.execPath, ['--import', 'tsx', join(run, 'drive.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, API_BASE_URL: base, CALLBACK_URL: callbackUrl, ...(token ? { API_TOKEN: token } : {}) },
    });
    expect(driven.status, driven.stderr).toBe(0);
    return driven.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Observed);
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

async function expectEveryAnswerDescribed(base: string, observed: Observed[]): Promise<void> {
  const contract = new ApiContract((await (await fetch(new URL('openapi.json', base))).json()) as Record<string, any>);
  for (const answer of observed) {
    const problems = contract.problems(answer.operationId, { ...answer, headers: new Headers(answer.headers) });
    expect(problems, `${answer.operationId} ${answer.status}`).toEqual([]);
  }
  const driven = new Set(observed.map((answer) => answer.operationId));
  expect([...driven].sort()).toEqual([
    'createCustomer',
    'deleteCustomer',
    'listCustomer',
    'patchCustomer',
    'registerListener',
    'retrieveCustomer',
    'retrieveListener',
    'unregisterListener',
  ]);
  expect(observed.map((answer) => answer.status)).toContain(404);
}

describe('a client generated from the live description (openapi-typescript, openapi-fetch, tsc --strict)', () => {
  it('compiles and works against the open local server, every answer as described', async () => {
    const observed = await generateCompileAndDrive('open', baseUrl());
    await expectEveryAnswerDescribed(baseUrl(), observed);
  }, 120_000);

  it('compiles and works with OAuth2 tokens (LOCAL_AUTH), every answer as described', async () => {
    authApi = await startLocalApi({ env: { LOCAL_AUTH: 'true' } });
    const token = await mintToken(localSigningKey(authApi.dataDir), localClient(authApi.dataDir).clientId, [
      ...ALL_SCOPES,
    ]);
    const observed = await generateCompileAndDrive('oauth2', authApi.baseUrl, token);
    await expectEveryAnswerDescribed(authApi.baseUrl, observed);
  }, 180_000);

  it('compiles for TMF629 v5 from the live v5 description, and works against the local server', async () => {
    const v5 = baseUrl().replace('/tmf-api/customerManagement/v4/', '/tmf-api/customer/v5/');
    const observed = await generateCompileAndDrive('v5', v5, undefined, 'driveV5.ts');
    // The list is a page of the shared server's customers: all of them (200) or a page (206).
    const listed = observed.find((answer) => answer.operationId === 'listCustomer');
    expect([200, 206]).toContain(listed?.status);
    expect(observed.map((answer) => `${answer.operationId} ${answer === listed ? 'page' : answer.status}`)).toEqual([
      'createCustomer 201',
      'listCustomer page',
      'retrieveCustomer 200',
      'patchCustomer 200',
      'patchCustomer 412',
      'retrieveCustomer 404',
      'createHub 201',
      'hubGet 200',
      'deleteCustomer 204',
      'hubDelete 204',
    ]);
    // Every status it met is one the v5 description documents for that operation.
    const description = (await (await fetch(new URL('openapi.json', v5))).json()) as Record<string, any>;
    const documented = new Map<string, string[]>();
    for (const methods of Object.values(description.paths) as Record<string, any>[]) {
      for (const operation of Object.values(methods))
        documented.set(operation.operationId, Object.keys(operation.responses));
    }
    for (const answer of observed)
      expect(documented.get(answer.operationId), answer.operationId).toContain(String(answer.status));
  }, 120_000);
});
