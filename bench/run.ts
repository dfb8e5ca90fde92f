/**
 * `npm run bench`: every benchmark, results under bench/results/. BENCH_ONLY=performance or
 * BENCH_ONLY=query or BENCH_ONLY=bulk runs one of them. Benchmarks report figures; they assert nothing.
 */
import { runPerformanceBench } from './performance.js';
import { runQueryBench } from './query.js';

const only = process.env.BENCH_ONLY;
if (!only || only === 'performance') await runPerformanceBench();
if (!only || only === 'query') await runQueryBench();
if (!only || only === 'bulk') await import('./bulk.js');
