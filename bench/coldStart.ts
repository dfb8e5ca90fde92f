/**
 * Cold start: bundles every function exactly as the stack does (lib/bundling.ts) next to a
 * baseline that only imports and constructs the DynamoDB document client, then loads each bundle
 * in fresh Node processes, side by side in one run, and reports module-init time and bundle size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { operations } from '../functions/operations.js';
import { lambdaEsbuildOptions } from '../lib/bundling.js';

const root = join(import.meta.dirname, '..');

export interface ColdStartResult {
  readonly name: string;
  readonly bytes: number;
  /** Median module-init time, ms. */
  readonly initMs: number;
  readonly ratioToBaseline: number;
}

async function bundle(entry: string, outdir: string, name: string): Promise<string> {
  const outfile = join(outdir, `${name}.mjs`);
  await build({
    ...lambdaEsbuildOptions,
    external: [...lambdaEsbuildOptions.external],
    mainFields: [...lambdaEsbuildOptions.mainFields],
    entryPoints: [join(root, entry)],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Time to import a bundle (evaluate every module and run its top level) in a fresh process, and to
 * compose what its first call would (an entry reads its configuration and builds its clients on
 * the first call, not at import: `handler.init()` counts that here, as the baseline's import does).
 */
function importTime(file: string): number {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(file)});m.handler.init?.();process.stdout.write(String(performance.now()-t));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      TABLE_NAME: 'bench',
      AWS_REGION: 'eu-west-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  return Number(output);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function measureColdStarts(rounds = 21): Promise<ColdStartResult[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'tmf629-bundles-'));
  const files = [
    { name: 'baseline (DocumentClient only)', file: await bundle('bench/entries/baseline.ts', outdir, 'baseline') },
    ...(await Promise.all(
      operations.map(async (o) => ({ name: o.operationId, file: await bundle(o.entry, outdir, o.operationId) })),
    )),
  ];
  // Interleave the bundles round by round, so drift in machine load hits all of them alike.
  const times = new Map<string, number[]>(files.map((f) => [f.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const { name, file } of files) times.get(name)?.push(importTime(file));
  }
  const baseline = median(times.get(files[0]!.name) ?? []);
  return files.map(({ name, file }) => {
    const initMs = median(times.get(name) ?? []);
    return { name, bytes: statSync(file).size, initMs, ratioToBaseline: initMs / baseline };
  });
}

if (process.argv[1] === import.meta.filename) {
  const results = await measureColdStarts(Number(process.env.BENCH_ROUNDS ?? 21));
  for (const r of results)
    console.log(
      `${r.name}\t${(r.bytes / 1024).toFixed(0)} KiB\t${r.initMs.toFixed(1)} ms\t${r.ratioToBaseline.toFixed(2)}x`,
    );
  writeFileSync(join(root, 'bench', 'results', 'cold-start.json'), `${JSON.stringify(results, null, 2)}\n`);
}
