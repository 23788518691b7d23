// The HTTP rules every part of the engine shares (src/arazzo/http/semantics.ts): the retry policy,
// the step activity and the default success criterion all read these tables.
import { describe, expect, it } from 'vitest';
import { isIdempotentMethod, isSuccessStatus, isTransientStatus } from '../../../src/arazzo/http/semantics.js';

describe('isIdempotentMethod', () => {
  it('is true for exactly GET HEAD PUT DELETE OPTIONS TRACE, in any case', () => {
    for (const m of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'get', 'Delete'])
      expect(isIdempotentMethod(m)).toBe(true);
    for (const m of ['POST', 'PATCH', 'post', 'CONNECT', 'QUERY', '']) expect(isIdempotentMethod(m)).toBe(false);
  });
});

describe('isTransientStatus', () => {
  it('is true for exactly 429, 502, 503 and 504', () => {
    const transient = Array.from({ length: 500 }, (_, i) => 100 + i).filter(isTransientStatus);
    expect(transient).toEqual([429, 502, 503, 504]);
  });
});

describe('isSuccessStatus', () => {
  it('is true for exactly the integral 2xx statuses', () => {
    const success = Array.from({ length: 500 }, (_, i) => 100 + i).filter(isSuccessStatus);
    expect(success).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
    for (const s of [200.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(isSuccessStatus(s)).toBe(false);
  });
});
