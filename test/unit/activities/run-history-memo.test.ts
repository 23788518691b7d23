// A run's start event never changes: steps of one run read it once, for a few minutes at most (it holds
// plain secrets), and a failed read is tried again.
import { describe, expect, it } from 'vitest';
import { type Execution, PerRunMemo } from '../../../src/activities/run-history.js';

function counted(fail = new Set<string>()) {
  const reads: string[] = [];
  const read = async (e: Execution) => {
    reads.push(`${e.workflowId}/${e.runId}`);
    if (fail.has(e.runId ?? '')) throw new Error('unavailable');
    return `input of ${e.runId}`;
  };
  return { reads, read };
}

describe('PerRunMemo', () => {
  it('reads each execution once while it is kept, and again after keepMs', async () => {
    let now = 0;
    const { reads, read } = counted();
    const memo = new PerRunMemo(read, { keepMs: 1000, max: 10, now: () => now });
    const run = { workflowId: 'w', runId: 'r1' };
    for (let i = 0; i < 5; i++) expect(await memo.get(run)).toBe('input of r1');
    expect(await memo.get({ workflowId: 'w', runId: 'r2' })).toBe('input of r2');
    expect(reads).toEqual(['w/r1', 'w/r2']);
    now = 1000;
    await memo.get(run);
    expect(reads).toEqual(['w/r1', 'w/r2', 'w/r1']);
  });

  it('keeps at most `max` executions, never one without a runId, and no failed read', async () => {
    const { reads, read } = counted(new Set(['bad']));
    const memo = new PerRunMemo(read, { keepMs: 60_000, max: 2, now: () => 0 });
    await memo.get({ workflowId: 'w', runId: 'a' });
    await memo.get({ workflowId: 'w', runId: 'b' });
    await memo.get({ workflowId: 'w', runId: 'c' }); // evicts a
    await memo.get({ workflowId: 'w', runId: 'a' });
    await memo.get({ workflowId: 'w' });
    await memo.get({ workflowId: 'w' });
    await expect(memo.get({ workflowId: 'w', runId: 'bad' })).rejects.toThrow('unavailable');
    await expect(memo.get({ workflowId: 'w', runId: 'bad' })).rejects.toThrow('unavailable');
    expect(reads).toEqual(['w/a', 'w/b', 'w/c', 'w/a', 'w/undefined', 'w/undefined', 'w/bad', 'w/bad']);
  });
});
