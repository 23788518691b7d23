// The bench's summaries (bench/lib/stats.ts): every figure in its report is a median with min and max.
import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, summarize } from '../../../bench/lib/stats.js';

describe('bench stats', () => {
  it('takes the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([51.1, 35.4])).toBeCloseTo(43.25, 10);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('keeps the nearest-rank percentile for p50 and p95 of latency samples', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 95)).toBe(40);
  });

  it('summarizes with the median, min and max, and compares medians', () => {
    const a = summarize([2, 6]);
    expect(a).toEqual({ median: 4, min: 2, max: 6, n: 2 });
    expect(ratio(a, summarize([1, 3]))).toBe(2);
  });
});
