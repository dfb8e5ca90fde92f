/**
 * Query benchmark: seeds the local engine with N customers (1k, 10k, 100k by default) and reports,
 * per access path, p50/p95 latency, items read and consumed read capacity per request, as
 * bench/results/query.md, query.json and query-latency.svg.
 *
 *   BENCH_SIZES=1000,10000,100000   customers in the table, cumulative
 *   BENCH_REQUESTS=40               requests per access path (deep offsets and scans take 5)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV } from '../local/engine.js';
import { startLocalApi } from '../test/localApi.js';
import { writeChart } from './chart.js';
import { STATUSES, seed, writeCounts } from './seed.js';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const requests = Number(process.env.BENCH_REQUESTS ?? 40);
const resultsDir = join(import.meta.dirname, 'results');

interface Sample {
  ms: number;
  itemsRead: number;
  readCapacity: number;
  returned: number;
  status: number;
}

export interface PathResult {
  path: string;
  size: number;
  p50: number;
  p95: number;
  itemsRead: number;
  readCapacity: number;
  returned: number;
  statuses: string;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;

async function measure(url: string): Promise<Sample> {
  const started = performance.now();
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  await response.arrayBuffer();
  return {
    ms: performance.now() - started,
    itemsRead: Number(response.headers.get('x-read-items') ?? NaN),
    readCapacity: Number(response.headers.get('x-read-capacity') ?? NaN),
    returned: Number(response.headers.get('x-result-count') ?? (response.status === 200 ? 1 : 0)),
    status: response.status,
  };
}

export async function runQueryBench(): Promise<void> {
  const api = await startLocalApi({ env: { MAX_QUERY_READ_ITEMS: '10000000' } });
  const client = new DynamoDBClient({
    endpoint: api.engineEndpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const counts = new Map<string, number>();
  const ids: string[] = [];
  const results: PathResult[] = [];
  let seeded = 0;
  try {
    for (const size of sizes) {
      const started = Date.now();
      const docs = await seed(client, api.tableName, seeded, size, counts);
      await writeCounts(client, api.tableName, counts);
      ids.push(...docs.map((doc) => doc.id as string));
      seeded = size;
      console.log(`seeded ${size} customers (${((Date.now() - started) / 1000).toFixed(1)} s)`);

      const base = api.baseUrl;
      const paths: { path: string; url: () => string; count?: number }[] = [
        { path: 'GET /customer/{id}', url: () => `${base}customer/${pick(ids)}` },
        { path: 'GET /customer?limit=20', url: () => `${base}customer?limit=20` },
        {
          path: 'GET /customer?name=',
          url: () => `${base}customer?name=${encodeURIComponent(`Customer ${Math.floor(Math.random() * size)}`)}`,
        },
        {
          path: 'GET /customer?engagedParty.id=',
          url: () => `${base}customer?engagedParty.id=party-${Math.floor((Math.random() * size) / 10)}`,
        },
        {
          path: 'GET /customer?contactMedium.characteristic.emailAddress=',
          url: () =>
            `${base}customer?contactMedium.characteristic.emailAddress=customer-${Math.floor(Math.random() * size)}@example.com`,
        },
        { path: 'GET /customer?status=&limit=20', url: () => `${base}customer?status=${pick(STATUSES)}&limit=20` },
        {
          path: 'GET /customer?offset=N/2&limit=20',
          url: () => `${base}customer?offset=${Math.floor(size / 2)}&limit=20`,
          count: 5,
        },
        {
          path: 'GET /customer?contactMedium.characteristic.city=Paris&limit=20 (scan)',
          url: () => `${base}customer?contactMedium.characteristic.city=Paris&limit=20`,
          count: 3,
        },
        {
          path: 'GET /customer?sort=-creditProfile.creditScore&limit=20 (scan)',
          url: () => `${base}customer?sort=-creditProfile.creditScore&limit=20`,
          count: 3,
        },
      ];
      for (const { path, url, count } of paths) {
        if (!count) await measure(url()); // warm-up (the slow paths warm themselves)
        const samples: Sample[] = [];
        for (let i = 0; i < (count ?? requests); i++) samples.push(await measure(url()));
        const result: PathResult = {
          path,
          size,
          p50: percentile(
            samples.map((s) => s.ms),
            50,
          ),
          p95: percentile(
            samples.map((s) => s.ms),
            95,
          ),
          itemsRead: mean(samples.map((s) => s.itemsRead)),
          readCapacity: mean(samples.map((s) => s.readCapacity)),
          returned: mean(samples.map((s) => s.returned)),
          statuses: [...new Set(samples.map((s) => s.status))].join('/'),
        };
        results.push(result);
        console.log(
          `${size}\t${path}\tp50 ${result.p50.toFixed(1)} ms\tp95 ${result.p95.toFixed(1)} ms\titems read ${result.itemsRead.toFixed(1)}\treturned ${result.returned.toFixed(1)}\tRCU ${result.readCapacity.toFixed(2)}`,
        );
      }
    }
  } finally {
    client.destroy();
    await api.stop();
  }
  report(results);
}

function report(results: PathResult[]): void {
  mkdirSync(resultsDir, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, DynamoDB Local`;
  const lines = [
    '# Query benchmark',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()} (${machine}). Latency is end to end over HTTP against the local server; items read and read capacity are what DynamoDB Local reported for each request (X-Read-Items, X-Read-Capacity).`,
    '',
    '| customers | access path | p50 ms | p95 ms | items read | items returned | read capacity (RCU) | status |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.size} | \`${r.path}\` | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.itemsRead.toFixed(1)} | ${r.returned.toFixed(1)} | ${r.readCapacity.toFixed(2)} | ${r.statuses} |`,
    ),
  ];
  const smallest = Math.min(...results.map((r) => r.size));
  const largest = Math.max(...results.map((r) => r.size));
  const judged = [
    'GET /customer?limit=20',
    'GET /customer?name=',
    'GET /customer?engagedParty.id=',
    'GET /customer/{id}',
  ];
  lines.push(
    '',
    `## Budget at ${largest} customers (against ${smallest})`,
    '',
    '| access path | items read / returned | p50 ratio |',
    '| --- | ---: | ---: |',
  );
  for (const path of judged) {
    const big = results.find((r) => r.path === path && r.size === largest);
    const small = results.find((r) => r.path === path && r.size === smallest);
    if (!big || !small) continue;
    lines.push(
      `| \`${path}\` | ${(big.itemsRead / Math.max(big.returned, 1)).toFixed(2)} | ${(big.p50 / small.p50).toFixed(2)} |`,
    );
  }
  writeFileSync(join(resultsDir, 'query.md'), `${lines.join('\n')}\n`);
  writeFileSync(join(resultsDir, 'query.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
  writeQueryCharts(results);
  console.log(`wrote ${join(resultsDir, 'query.md')}`);
}

if (process.argv[1] === import.meta.filename) await runQueryBench();

/** The latency chart (SVG and PNG) from query results. */
export function writeQueryCharts(results: readonly PathResult[]): void {
  const groups = [...new Set(results.map((r) => r.path))];
  const series = [...new Set(results.map((r) => r.size))].map((size) => ({
    label: `${size} customers`,
    values: groups.map((path) => results.find((r) => r.path === path && r.size === size)?.p50 ?? 0),
  }));
  writeChart(join(resultsDir, 'query-latency'), {
    title: 'p50 latency per access path (log scale)',
    groups: groups.map((g) => g.replace('GET /customer', '')),
    series,
    unit: 'ms',
    logScale: true,
  });
}
