import { describe, expect, it } from 'vitest';
import { defaultSuccess } from './flow-api.js';

describe('defaultSuccess (no successCriteria)', () => {
  it('accepts exactly the 2xx statuses', () => {
    for (const s of [200, 201, 202, 204, 299]) expect(defaultSuccess(s)).toBe(true);
    for (const s of [0, 100, 199, 300, 302, 304, 400, 404, 500, 503, 200.5, Number.NaN])
      expect(defaultSuccess(s)).toBe(false);
  });
});
