/**
 * Functions as deployed: bundled with the stack's options, what only some requests need (v5's
 * validators, RE2) beside the bundle, not in it, and loaded from there on first use. Run in a
 * fresh Node process, as Lambda would.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BESIDE_BUNDLE, besideBundleOptions, lambdaEsbuildOptions } from './bundling.js';
import { REPOSITORY_ROOT } from './tmfFunction.js';
import { apiGatewayEvent } from '../local/lambdaEvents.js';

async function deployedBundle(entry: string): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), 'tmf629-bundle-'));
  await build({
    ...lambdaEsbuildOptions,
    external: [...lambdaEsbuildOptions.external],
    mainFields: [...lambdaEsbuildOptions.mainFields],
    entryPoints: [join(REPOSITORY_ROOT, entry)],
    outfile: join(outdir, 'index.mjs'),
    logLevel: 'error',
  });
  for (const file of BESIDE_BUNDLE)
    await build({ ...besideBundleOptions(REPOSITORY_ROOT, file, outdir), logLevel: 'error' });
  return outdir;
}

/** Runs `script` (an ES module body; `dir` is the bundle's folder) in a fresh Node process. */
function inFreshNode(dir: string, script: string): string {
  return execFileSync(
    process.execPath,
    ['--input-type=module', '-e', `const dir = ${JSON.stringify(dir)};\n${script}`],
    {
      env: {
        PATH: process.env.PATH,
        TABLE_NAME: 'bench',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      encoding: 'utf8',
    },
  );
}

/** One call of the bundle's handler, as Lambda makes it, in a fresh process. */
function invoke(dir: string, functionName: string, event: object): { statusCode: number; body: string } {
  const output = inFreshNode(
    dir,
    `const { handler } = await import(dir + '/index.mjs');
     const context = { awsRequestId: 'r1', functionName: ${JSON.stringify(functionName)}, getRemainingTimeInMillis: () => 10000 };
     process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, context)));`,
  );
  return JSON.parse(output) as { statusCode: number; body: string };
}

// A marker only the v5 validators hold: Individual.skill's `skillCode`, deep in v5's party closure.
const V5_VALIDATOR_MARKER = 'skillCode';

describe('functions bundled as deployed', () => {
  it('listCustomer carries no RE2 and loads it from beside its bundle for a regex filter', async () => {
    const dir = await deployedBundle('functions/handlers/listCustomer.ts');
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain('invalid nested repetition operator'); // RE2's own
    // An invalid pattern is refused by RE2 itself, before any read: RE2 was loaded from beside.
    const answer = invoke(dir, 'listCustomer', {
      ...apiGatewayEvent('GET', '/tmf-api/customerManagement/v4/customer'),
      queryStringParameters: { 'name*': 'a**' },
      multiValueQueryStringParameters: { 'name*': ['a**'] },
    });
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).message).toMatch(/is not a valid regular expression/);
  }, 60_000);

  it('createCustomerV5 carries no v5 validator and loads it from beside its bundle on the first write', async () => {
    const dir = await deployedBundle('functions/handlers/v5/createCustomerV5.ts');
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain(V5_VALIDATOR_MARKER);
    expect(statSync(join(dir, 'validateCustomerV5Create.cjs')).size).toBeGreaterThan(100_000);
    const body = {
      '@type': 'Customer',
      name: 'Pigeon',
      engagedParty: { '@type': 'PartyRef', id: '1', '@referredType': 'Individual' },
      contactMedium: [{ '@type': 'PigeonContactMedium' }],
    };
    const answer = invoke(dir, 'createCustomerV5', {
      ...apiGatewayEvent('POST', '/tmf-api/customer/v5/customer'),
      body: JSON.stringify(body),
    });
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).message).toMatch(/contactMedium\[0\]\.@type: is not a known type here/);
  }, 60_000);

  it('patchCustomerV5 carries no v5 validator; the one beside it validates a v5 Customer', async () => {
    const dir = await deployedBundle('functions/handlers/v5/patchCustomerV5.ts');
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain(V5_VALIDATOR_MARKER);
    const output = inFreshNode(
      dir,
      `const loaded = await import(dir + '/validateCustomerV5.cjs');
       const { validateCustomerV5 } = loaded.default ?? loaded;
       const customer = { id: '1', href: 'h', '@type': 'Customer', name: 'n', engagedParty: { '@type': 'PartyRef', id: '1' } };
       const good = validateCustomerV5(customer);
       const bad = validateCustomerV5({ ...customer, characteristic: [{ '@type': 'BooleanCharacteristic', name: 'x', value: 'yes' }] });
       process.stdout.write(JSON.stringify({ good, bad, errors: validateCustomerV5.errors?.map((e) => e.instancePath) }));`,
    );
    expect(JSON.parse(output)).toMatchObject({
      good: true,
      bad: false,
      errors: expect.arrayContaining(['/characteristic/0/value']),
    });
  }, 60_000);
});
