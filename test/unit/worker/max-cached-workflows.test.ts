import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { defaultMaxCachedWorkflows } from '../../../src/worker.js';

describe('defaultMaxCachedWorkflows', () => {
  it('bounds the workflow cache by the heap at 6 MiB a run, unless ARAZZO_MAX_CACHED_WORKFLOWS says otherwise', () => {
    const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
    expect(defaultMaxCachedWorkflows({})).toBe(Math.max(Math.floor((heapMiB - 400) / 6), 10));
    expect(defaultMaxCachedWorkflows({ ARAZZO_MAX_CACHED_WORKFLOWS: '250' })).toBe(250);
    // Not a usable number: the heap-derived default.
    expect(defaultMaxCachedWorkflows({ ARAZZO_MAX_CACHED_WORKFLOWS: '1' })).toBe(defaultMaxCachedWorkflows({}));
    expect(defaultMaxCachedWorkflows({ ARAZZO_MAX_CACHED_WORKFLOWS: 'lots' })).toBe(defaultMaxCachedWorkflows({}));
  });
});
