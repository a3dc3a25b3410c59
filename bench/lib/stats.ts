import { readFileSync } from 'node:fs';

/** Latency figures in milliseconds, rounded to what the measurement can tell. */
export interface Latency {
  p50: number;
  p99: number;
}

/** The value below which `fraction` of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}

/** The middle sample (the upper of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A process's resident set (Linux /proc), in bytes; throws when the process is gone. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** p50 and p99 of samples in milliseconds. */
export function latencyOf(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)) };
}

/**
 * Calls `fn` one at a time until `maxCalls` or `budgetMs` is reached, and times each call.
 * The budget keeps a slow path (a render over 100,000 rows) from stretching the run.
 */
export async function timeCalls(
  fn: (i: number) => unknown,
  options: { maxCalls: number; budgetMs: number },
): Promise<Latency & { calls: number }> {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < options.maxCalls; i += 1) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
    if (performance.now() - started > options.budgetMs) break;
  }
  return { ...latencyOf(samples), calls: samples.length };
}
