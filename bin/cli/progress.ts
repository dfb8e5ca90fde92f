/**
 * Progress of a long bulk command: a bar with rate and ETA on a terminal (cli-progress), plain
 * lines every few seconds otherwise (CI logs, files), so a long job always shows it is alive.
 */
import { SingleBar, Presets } from 'cli-progress';

export interface ProgressReporter {
  update(done: number, payload: Record<string, string | number>): void;
  stop(): void;
}

export function progressReporter(options: {
  label: string;
  total: number;
  unit: string;
  describe: (payload: Record<string, string | number>) => string;
  intervalMs?: number;
}): ProgressReporter {
  const started = Date.now();
  if (process.stderr.isTTY && process.env.CI !== 'true') {
    const bar = new SingleBar(
      {
        format: `${options.label} [{bar}] {percentage}% | ETA {eta_formatted} | {detail}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(Math.max(1, options.total), 0, { detail: '' });
    return {
      update: (done, payload) => bar.update(Math.min(done, options.total), { detail: options.describe(payload) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, payload) {
      const now = Date.now();
      if (now - last < (options.intervalMs ?? 5_000)) return;
      last = now;
      const fraction = options.total > 0 ? done / options.total : 0;
      const elapsed = (now - started) / 1000;
      const eta = fraction > 0 ? Math.round(elapsed / fraction - elapsed) : undefined;
      console.error(
        `${options.label}: ${(fraction * 100).toFixed(1)}% of ${options.total} ${options.unit}` +
          `${eta !== undefined ? `, ETA ${eta} s` : ''} | ${options.describe(payload)}`,
      );
    },
    stop: () => undefined,
  };
}

export const perSecond = (count: number, elapsedMs: number) =>
  elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : 0;
