// Summaries of repeated measurements: every figure in the report is a median with its min and max.

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many repetitions the figure summarizes. */
  n: number;
}

/**
 * The median: the middle value, or with an even count the mean of the two middle ones. (Until 1 December
 * it was the nearest-rank 50th percentile, the lower middle: with the bench's two repetitions that was the
 * smaller of the two, so a "median" of CPU and one of throughput could come from different repetitions.)
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    n: values.length,
  };
}

/** The ratio of two medians (a / b), the way comparisons are reported. */
export function ratio(a: Summary, b: Summary): number {
  return a.median / b.median;
}
