/** `npx tsx bench/charts.ts`: redraws the charts from the JSON results, without measuring again. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePerformanceCharts } from './performance.js';
import { writeQueryCharts, writeWalkChart } from './query.js';

const results = join(import.meta.dirname, 'results');
const query = JSON.parse(readFileSync(join(results, 'query.json'), 'utf8'));
writeQueryCharts(query.results);
writeWalkChart(JSON.parse(readFileSync(join(results, 'cursor-walk.json'), 'utf8')).walks);
const performance = JSON.parse(readFileSync(join(results, 'performance.json'), 'utf8'));
writePerformanceCharts(performance.coldStarts, performance.endToEnd);
console.log(`charts written to ${results}`);
