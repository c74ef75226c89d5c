/** Small timing helpers shared by the bench and soak scripts. */

export interface Stats {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** Count, mean and the 50th/90th/99th percentiles (nearest rank, floor) in milliseconds, rounded to 3 digits. */
export function stats(samples: number[]): Stats {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number) => Number(x.toFixed(3));
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, mean: round(mean), p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)) };
}

/** Runs `fn` repeatedly for `seconds` (after a short warm-up) and returns per-call milliseconds. */
export async function measure(seconds: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(i);
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** The upper median. */
export const median = (xs: number[]) => ascending(xs)[Math.floor(xs.length / 2)]!;

/** The p-th percentile (0–100), nearest rank. */
export const percentile = (xs: number[], p: number) => ascending(xs)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
