/**
 * Query benchmark: seeds the local engine with N customers (1k, 10k, 100k by default) and reports,
 * per access path, p50/p95 latency, items read and consumed read capacity per request, as
 * bench/results/query.md, query.json and query-latency.svg.
 *
 *   BENCH_SIZES=1000,10000,100000   customers in the table, cumulative
 *   BENCH_REQUESTS=40               requests per access path (deep offsets and sorts take 5)
 *
 * The server indexes one configured attribute (characteristic[segment].value); after each seed,
 * `npm run reindex` backfills it (its duration is reported), then its filter is measured. At each
 * size the whole list is also walked by its `next` links (limit=100), and the p50 of pages at
 * each depth is compared with page 1: bench/results/cursor-walk.md.
 * Over 300 lines: seeding, every access path and the report, in the order a run does them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV } from '../local/engine.js';
import { startLocalApi } from '../local/childServer.js';
import { writeChart } from './chart.js';
import { STATUSES, seed, writeCounts } from './seed.js';
import { pause } from '../functions/backoff.js';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const requests = Number(process.env.BENCH_REQUESTS ?? 40);
const resultsDir = join(import.meta.dirname, 'results');

const CONFIGURED_INDEX = 'characteristic[segment].value';

interface Sample {
  ms: number;
  itemsRead: number;
  examined: number;
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
  /** Customers the list examined against its filter (filters no index serves). */
  examined: number;
  readCapacity: number;
  returned: number;
  statuses: string;
}

export interface WalkResult {
  size: number;
  /** Pages of `limit` 100 walked by next links. */
  pages: number;
  /** p50 ms of page 1, and of the pages in each tenth of the walk. */
  firstPage: number;
  byDepth: { from: number; to: number; p50: number }[];
  itemsReadPerPage: number;
}

export interface ReindexResult {
  size: number;
  seconds: number;
  output: string;
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
    examined: Number(response.headers.get('x-customers-examined') ?? NaN),
    readCapacity: Number(response.headers.get('x-read-capacity') ?? NaN),
    returned: Number(response.headers.get('x-result-count') ?? (response.status === 200 ? 1 : 0)),
    status: response.status,
  };
}

/** Follows next links from page 1 to the end, timing every page. */
async function walk(base: string, size: number): Promise<WalkResult> {
  const firstPages: number[] = [];
  for (let i = 0; i < 20; i++) firstPages.push((await measure(`${base}customer?limit=100`)).ms);
  const pages: Sample[] = [];
  let url: string | undefined = `${base}customer?limit=100`;
  while (url) {
    const started = performance.now();
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    await response.arrayBuffer();
    pages.push({
      ms: performance.now() - started,
      itemsRead: Number(response.headers.get('x-read-items') ?? NaN),
      examined: 0,
      readCapacity: 0,
      returned: Number(response.headers.get('x-result-count') ?? 0),
      status: response.status,
    });
    url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  const tenth = Math.max(1, Math.ceil(pages.length / 10));
  const byDepth = [];
  for (let from = 0; from < pages.length; from += tenth) {
    const slice = pages.slice(from, from + tenth);
    byDepth.push({
      from: from + 1,
      to: from + slice.length,
      p50: percentile(
        slice.map((p) => p.ms),
        50,
      ),
    });
  }
  return {
    size,
    pages: pages.length,
    firstPage: percentile(firstPages, 50),
    byDepth,
    itemsReadPerPage: mean(pages.map((p) => p.itemsRead)),
  };
}

/** `npm run reindex` against the running bench server (it finds it through DATA_DIR). */
function reindex(dataDir: string, size: number): Promise<ReindexResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../bin/reindex.ts')], {
      env: { ...process.env, DATA_DIR: dataDir, INDEXED_ATTRIBUTES: CONFIGURED_INDEX, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve({ size, seconds: (Date.now() - started) / 1000, output: output.trim().split('\n').at(-1) ?? '' })
        : reject(new Error(`reindex failed (${code}):\n${output}`)),
    );
  });
}

export async function runQueryBench(): Promise<void> {
  const api = await startLocalApi({
    // What the server says (engine restarts, failures) is kept, so a bench that breaks can be read.
    logFile: join(tmpdir(), 'tmf629-bench-server.log'),
    env: { MAX_QUERY_READ_ITEMS: '10000000', INDEXED_ATTRIBUTES: CONFIGURED_INDEX, INDEX_STATE_CACHE_SECONDS: '1' },
  });
  const client = new DynamoDBClient({
    endpoint: api.engineEndpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const counts = new Map<string, number>();
  const ids: string[] = [];
  const results: PathResult[] = [];
  const walks: WalkResult[] = [];
  const reindexes: ReindexResult[] = [];
  let seeded = 0;
  try {
    for (const size of sizes) {
      const started = Date.now();
      const docs = await seed(client, api.tableName, seeded, size, counts);
      await writeCounts(client, api.tableName, counts);
      ids.push(...docs.map((doc) => doc.id as string));
      seeded = size;
      console.log(`seeded ${size} customers (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      const reindexed = await reindex(api.dataDir, size);
      reindexes.push(reindexed);
      console.log(`reindexed ${CONFIGURED_INDEX} in ${reindexed.seconds.toFixed(1)} s: ${reindexed.output}`);
      // Lists learn that the index is active within INDEX_STATE_CACHE_SECONDS.
      await pause(1500);

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
          path: `GET /customer?${CONFIGURED_INDEX}=&limit=20 (configured index)`,
          url: () =>
            `${base}customer?${encodeURIComponent(CONFIGURED_INDEX)}=${pick(['gold', 'silver', 'bronze'])}&limit=20`,
        },
        {
          path: 'GET /customer?offset=N/2&limit=20',
          url: () => `${base}customer?offset=${Math.floor(size / 2)}&limit=20`,
          count: 5,
        },
        {
          path: 'GET /customer?contactMedium.characteristic.city=Paris&limit=20 (no index)',
          url: () => `${base}customer?contactMedium.characteristic.city=Paris&limit=20`,
          count: 10,
        },
        {
          path: 'GET /customer?creditProfile.creditScore=&limit=20 (no index, rare)',
          url: () => `${base}customer?creditProfile.creditScore=${Math.floor(Math.random() * 1000)}&limit=20`,
          count: 10,
        },
        {
          path: 'GET /customer?sort=-creditProfile.creditScore&limit=20 (sorts every customer)',
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
          examined: mean(samples.map((s) => s.examined)),
          readCapacity: mean(samples.map((s) => s.readCapacity)),
          returned: mean(samples.map((s) => s.returned)),
          statuses: [...new Set(samples.map((s) => s.status))].join('/'),
        };
        results.push(result);
        console.log(
          `${size}\t${path}\tp50 ${result.p50.toFixed(1)} ms\tp95 ${result.p95.toFixed(1)} ms\titems read ${result.itemsRead.toFixed(1)}\texamined ${result.examined.toFixed(1)}\treturned ${result.returned.toFixed(1)}\tRCU ${result.readCapacity.toFixed(2)}\t${result.statuses}`,
        );
      }
      const walked = await walk(base, size);
      walks.push(walked);
      console.log(
        `${size}\twalk of ${walked.pages} pages by next: page 1 p50 ${walked.firstPage.toFixed(1)} ms; by depth ${walked.byDepth.map((d) => d.p50.toFixed(1)).join(' / ')} ms`,
      );
    }
  } finally {
    client.destroy();
    await api.stop();
  }
  report(results);
  reportWalks(walks, reindexes);
}

function reportWalks(walks: readonly WalkResult[], reindexes: readonly ReindexResult[]): void {
  const lines = [
    '# Walking the list by `next` links',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()}. At each size the whole unfiltered list is walked by its \`Link rel="next"\` (limit=100); the p50 latency of the pages in each tenth of the walk is compared with the p50 of page 1 (goal: at most 1.5x at every depth).`,
    '',
    '| customers | pages | page 1 p50 ms | deepest tenth p50 ms | worst tenth / page 1 | items read per page |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...walks.map((w) => {
      const worst = Math.max(...w.byDepth.map((d) => d.p50));
      const deepest = w.byDepth.at(-1)?.p50 ?? 0;
      return `| ${w.size} | ${w.pages} | ${w.firstPage.toFixed(1)} | ${deepest.toFixed(1)} | ${(worst / w.firstPage).toFixed(2)} | ${w.itemsReadPerPage.toFixed(1)} |`;
    }),
    '',
    '## p50 by depth (ms)',
    '',
    ...walks.map(
      (w) => `- ${w.size}: ${w.byDepth.map((d) => `pages ${d.from}-${d.to}: ${d.p50.toFixed(1)}`).join('; ')}`,
    ),
    '',
    `## \`npm run reindex\` of \`${CONFIGURED_INDEX}\` after each seed`,
    '',
    '| customers | seconds | summary |',
    '| ---: | ---: | --- |',
    ...reindexes.map((r) => `| ${r.size} | ${r.seconds.toFixed(1)} | ${r.output} |`),
  ];
  writeFileSync(join(resultsDir, 'cursor-walk.md'), `${lines.join('\n')}\n`);
  writeWalkChart(walks);
  writeFileSync(join(resultsDir, 'cursor-walk.json'), `${JSON.stringify({ walks, reindexes }, null, 2)}\n`);
}

function report(results: PathResult[]): void {
  mkdirSync(resultsDir, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, DynamoDB Local`;
  const lines = [
    '# Query benchmark',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()} (${machine}). Latency is end to end over HTTP against the local server; items read and read capacity are what DynamoDB Local reported for each request (X-Read-Items, X-Read-Capacity).`,
    '',
    '| customers | access path | p50 ms | p95 ms | items read | customers examined | items returned | read capacity (RCU) | status |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.size} | \`${r.path}\` | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.itemsRead.toFixed(1)} | ${r.examined > 0 ? r.examined.toFixed(1) : '-'} | ${r.returned.toFixed(1)} | ${r.readCapacity.toFixed(2)} | ${r.statuses} |`,
    ),
  ];
  const smallest = Math.min(...results.map((r) => r.size));
  const largest = Math.max(...results.map((r) => r.size));
  const judged = [
    'GET /customer?limit=20',
    'GET /customer?name=',
    'GET /customer?engagedParty.id=',
    'GET /customer/{id}',
    `GET /customer?${CONFIGURED_INDEX}=&limit=20 (configured index)`,
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
  lines.push(
    '',
    `## Filters no index serves at ${largest} customers`,
    '',
    '| access path | statuses | items read per customer examined | p50 ms |',
    '| --- | --- | ---: | ---: |',
  );
  for (const r of results.filter((r) => r.size === largest && r.path.includes('(no index'))) {
    lines.push(
      `| \`${r.path}\` | ${r.statuses} | ${(r.itemsRead / Math.max(r.examined, 1)).toFixed(3)} | ${r.p50.toFixed(1)} |`,
    );
  }
  writeFileSync(join(resultsDir, 'query.md'), `${lines.join('\n')}\n`);
  writeFileSync(join(resultsDir, 'query.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
  writeQueryCharts(results);
  console.log(`wrote ${join(resultsDir, 'query.md')}`);
}

if (process.argv[1] === import.meta.filename) await runQueryBench();

/** p50 of the pages in each tenth of the walk, per table size (SVG and PNG): flat means depth costs nothing. */
export function writeWalkChart(walks: readonly WalkResult[]): void {
  writeChart(join(resultsDir, 'cursor-walk'), {
    title: 'Walking by next links (limit=100): p50 of the pages in each tenth of the walk',
    groups: Array.from({ length: 10 }, (_, tenth) => `${tenth * 10}-${tenth * 10 + 10} % deep`),
    series: walks.map((w) => ({
      label: `${w.size} customers (${w.pages} pages)`,
      values: Array.from({ length: 10 }, (_, tenth) => w.byDepth[tenth]?.p50 ?? 0),
    })),
    unit: 'ms',
  });
}

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
