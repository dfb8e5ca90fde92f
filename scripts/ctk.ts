/**
 * `npm run ctk [-- <base URL>]`: runs the TMF629 v4 CTK collection with Newman against the given
 * base URL (ending in /tmf-api/customerManagement/v4/), or against a fresh local server it starts
 * and stops itself. Writes reports/ctk.json (Newman's report) and reports/ctk-summary.json, and
 * exits non-zero when any assertion fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import newman from 'newman';
import { startLocalApi, type RunningLocalApi } from '../test/localApi.js';
import { collectionPath } from './ctk-collection.js';

const reportsDir = join(import.meta.dirname, '..', 'reports');

function run(baseUrl: string): Promise<newman.NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: collectionPath,
        environment: { values: [{ key: 'Customer', value: baseUrl, type: 'default' }] },
        reporters: ['cli', 'json'],
        reporter: { json: { export: join(reportsDir, 'ctk.json') } },
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

async function main(): Promise<number> {
  const given = process.argv[2];
  let local: RunningLocalApi | undefined;
  try {
    if (!given) local = await startLocalApi();
    const baseUrl = given ? (given.endsWith('/') ? given : `${given}/`) : (local?.baseUrl ?? '');
    mkdirSync(reportsDir, { recursive: true });
    console.log(`CTK against ${baseUrl}`);
    const summary = await run(baseUrl);
    const { total, failed } = summary.run.stats.assertions;
    const requestsFailed = summary.run.stats.requests.failed ?? 0;
    const result = { passed: (total ?? 0) - (failed ?? 0), failed: (failed ?? 0) + requestsFailed };
    writeFileSync(join(reportsDir, 'ctk-summary.json'), JSON.stringify(result));
    console.log(`CTK: ${result.passed} passed, ${result.failed} failed`);
    return result.failed === 0 && summary.run.failures.length === 0 ? 0 : 1;
  } finally {
    await local?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('CTK run failed:', error);
    process.exit(1);
  },
);
