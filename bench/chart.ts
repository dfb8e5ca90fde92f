/** A small grouped bar chart, drawn as SVG and rendered to PNG (resvg; nothing fetched). */
import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export interface Series {
  readonly label: string;
  readonly values: readonly number[];
}

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];

export function barChartSvg(options: {
  title: string;
  groups: readonly string[];
  series: readonly Series[];
  unit: string;
  logScale?: boolean;
  /** Counts: ticks on whole numbers only. */
  integers?: boolean;
}): string {
  const title = escapeXml(options.title);
  const unit = escapeXml(options.unit);
  // Long labels are shortened from the front: the end of a query tells the paths apart.
  const groups = options.groups.map((g) => escapeXml(g.length > 34 ? `…${g.slice(-33)}` : g));
  const series = options.series.map((s) => ({ ...s, label: escapeXml(s.label) }));
  const width = Math.max(640, 110 * groups.length + 120);
  const height = 470;
  const left = 70;
  const bottom = 200;
  const top = 56;
  const plotHeight = height - top - bottom;
  const all = series.flatMap((s) => s.values).filter((v) => v > 0);
  const max = Math.max(...all, 1);
  const min = Math.min(...all, max);
  const log = options.logScale ?? false;
  const floor = log ? 10 ** Math.floor(Math.log10(Math.max(min, 1e-3))) : 0;
  // Linear ticks on a 1-2-5 step (whole numbers for counts): 0, 2, 4, 6, not 0, 0.55, 1.1.
  const rough = (max * 1.1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const niceStep = [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= rough) ?? 10 * magnitude;
  const step = options.integers ? Math.max(1, Math.ceil(niceStep)) : niceStep;
  const ceil = log ? 10 ** Math.ceil(Math.log10(max)) : step * Math.max(1, Math.ceil((max * 1.05) / step));
  const y = (value: number) =>
    top +
    plotHeight -
    (log
      ? (Math.log10(Math.max(value, floor)) - Math.log10(floor)) / (Math.log10(ceil) - Math.log10(floor))
      : value / ceil) *
      plotHeight;
  const groupWidth = (width - left - 20) / groups.length;
  const barWidth = (groupWidth * 0.8) / series.length;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 20}" y2="${top + plotHeight}" stroke="#333"/>`,
  ];
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(ceil / floor)) + 1 }, (_, i) => floor * 10 ** i)
    : Array.from({ length: Math.round(ceil / step) + 1 }, (_, i) => step * i);
  for (const tick of ticks) {
    parts.push(
      `<line x1="${left - 4}" y1="${y(tick)}" x2="${width - 20}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${Number(tick.toPrecision(3))}</text>`,
    );
  }
  parts.push(
    `<text x="14" y="${top + plotHeight / 2}" transform="rotate(-90 14 ${top + plotHeight / 2})" text-anchor="middle">${unit}</text>`,
  );
  groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + groupWidth * 0.1;
    series.forEach((s, i) => {
      const value = s.values[g] ?? 0;
      const yTop = y(value);
      parts.push(
        `<rect x="${x0 + i * barWidth}" y="${yTop}" width="${barWidth - 2}" height="${top + plotHeight - yTop}" fill="${COLOURS[i % COLOURS.length]}"><title>${s.label}: ${value}</title></rect>`,
      );
    });
    const labelX = x0 + (barWidth * series.length) / 2;
    parts.push(
      `<text x="${labelX}" y="${top + plotHeight + 14}" text-anchor="end" transform="rotate(-60 ${labelX} ${top + plotHeight + 14})">${group}</text>`,
    );
  });
  series.forEach((s, i) => {
    parts.push(
      `<rect x="${left + i * 170}" y="${top - 22}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${left + i * 170 + 14}" y="${top - 13}">${s.label}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export type ChartOptions = Parameters<typeof barChartSvg>[0];

/** Writes `<base>.svg` and `<base>.png`. */
export function writeChart(base: string, options: ChartOptions): void {
  const svg = barChartSvg(options);
  writeFileSync(`${base}.svg`, svg);
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: 1400 }, font: { loadSystemFonts: true } })
    .render()
    .asPng();
  writeFileSync(`${base}.png`, png);
}
