// Summaries of repeated measurements: every figure in the report is a median with its min and max.

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many repetitions the figure summarizes. */
  n: number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
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
