import { describe, expect, it } from 'vitest';
import { type Move, recordRetries, retryKey } from './flow-api.js';

const endMove: Move = { kind: 'complete' };

describe('retry counters', () => {
  it('keys a counter by step and action name', () => {
    expect(retryKey('getPet', 'retryOn503')).toBe('getPet/retryOn503');
  });

  it('records the attempt of a retry move without mutating the input', () => {
    const before = { 'x/r': 1 };
    const move = { kind: 'retry', retryKey: 'a/r', attempt: 2 } as Move;
    expect(recordRetries(before, 'a', move)).toEqual({ 'x/r': 1, 'a/r': 2 });
    expect(before).toEqual({ 'x/r': 1 });
  });

  it("drops the step's counters on any other move (the failure episode is over), keeping other steps'", () => {
    const before = { 'a/r': 1, 'a/r2': 3, 'ab/r': 1, 'b/r': 2 };
    expect(recordRetries(before, 'a', endMove)).toEqual({ 'ab/r': 1, 'b/r': 2 });
  });
});
