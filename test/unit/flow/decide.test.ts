import { describe, expect, it } from 'vitest';
import { type DecideInput, decideNext, type ResolvedAction, type StepOutcome } from './flow-api.js';

const steps = [{ stepId: 'a' }, { stepId: 'b' }, { stepId: 'c' }];

function action(name: string, type: ResolvedAction['type'], extra: Partial<ResolvedAction> = {}): ResolvedAction {
  return {
    name,
    type,
    criteria: [{ condition: 'x' }],
    origin: 'step',
    level: 'step',
    pointer: `/x/${name}`,
    ...(type === 'retry' ? { retryLimit: 1 } : {}),
    ...extra,
  };
}

function input(over: {
  stepIndex?: number;
  successful: boolean;
  success?: ResolvedAction[];
  failure?: ResolvedAction[];
  matchedSuccess?: boolean[];
  matchedFailure?: boolean[];
  retryAfterHeaderSeconds?: number;
  message?: string;
  retriesUsed?: Record<string, number>;
  stepRunsSoFar?: number;
  stepBudget?: number;
}): DecideInput {
  const success = over.success ?? [];
  const failure = over.failure ?? [];
  const outcome: StepOutcome = {
    successful: over.successful,
    matched: {
      success: over.matchedSuccess ?? success.map(() => true),
      failure: over.matchedFailure ?? failure.map(() => true),
    },
  };
  if (over.retryAfterHeaderSeconds !== undefined) outcome.retryAfterHeaderSeconds = over.retryAfterHeaderSeconds;
  if (over.message !== undefined) outcome.failure = { message: over.message };
  return {
    steps,
    stepIndex: over.stepIndex ?? 0,
    outcome,
    actions: { success, failure },
    retriesUsed: over.retriesUsed ?? {},
    stepRunsSoFar: over.stepRunsSoFar ?? 1,
    stepBudget: over.stepBudget ?? 1000,
  };
}

describe('decideNext on success', () => {
  it('runs the next step when no action is declared', () => {
    expect(decideNext(input({ successful: true }))).toEqual({ kind: 'next', stepIndex: 1, stepId: 'b' });
  });

  it('completes after the last step', () => {
    expect(decideNext(input({ successful: true, stepIndex: 2 }))).toEqual({ kind: 'complete' });
  });

  it('runs the next step when no action matches', () => {
    const success = [action('e', 'end'), action('g', 'goto', { stepId: 'c' })];
    expect(decideNext(input({ successful: true, success, matchedSuccess: [false, false] }))).toMatchObject({
      kind: 'next',
      stepIndex: 1,
    });
  });

  it('takes the first matching action', () => {
    const success = [action('e1', 'end'), action('g', 'goto', { stepId: 'c' }), action('e2', 'end')];
    const move = decideNext(input({ successful: true, success, matchedSuccess: [false, true, true] }));
    expect(move).toEqual({ kind: 'goto-step', stepIndex: 2, stepId: 'c', action: success[1], from: 'success' });
  });

  it('ends the workflow successfully on an end action', () => {
    const success = [action('done', 'end')];
    expect(decideNext(input({ successful: true, success }))).toEqual({
      kind: 'end',
      outcome: 'succeeded',
      action: success[0],
    });
  });

  it('can go to an earlier step, or the same step (polling loops)', () => {
    const back = [action('g', 'goto', { stepId: 'a' })];
    expect(decideNext(input({ successful: true, stepIndex: 2, success: back }))).toMatchObject({
      kind: 'goto-step',
      stepIndex: 0,
    });
    expect(decideNext(input({ successful: true, stepIndex: 0, success: back }))).toMatchObject({
      kind: 'goto-step',
      stepIndex: 0,
    });
  });

  it('transfers to another workflow', () => {
    const success = [action('g', 'goto', { workflowId: 'other' })];
    expect(decideNext(input({ successful: true, success }))).toEqual({
      kind: 'goto-workflow',
      workflowId: 'other',
      action: success[0],
      from: 'success',
    });
  });

  it('treats a missing matched entry as a match only for a criteria-free action', () => {
    const success = [action('withCriteria', 'end'), action('always', 'goto', { stepId: 'c', criteria: [] })];
    expect(decideNext(input({ successful: true, success, matchedSuccess: [] }))).toMatchObject({
      kind: 'goto-step',
      action: { name: 'always' },
    });
  });

  it('ignores the failure list on success', () => {
    const failure = [action('f', 'end')];
    expect(decideNext(input({ successful: true, failure }))).toMatchObject({ kind: 'next' });
  });

  it('fails, never throws, for a goto to an unknown step or without a target', () => {
    const unknown = [action('g', 'goto', { stepId: 'zzz' })];
    const m = decideNext(input({ successful: true, success: unknown }));
    expect(m).toMatchObject({ kind: 'fail', action: unknown[0] });
    expect(m.kind === 'fail' && m.reason).toContain("unknown step 'zzz'");
    const targetless = [action('g', 'goto')];
    expect(decideNext(input({ successful: true, success: targetless })).kind).toBe('fail');
  });

  it('fails for a retry among success actions (invalid document)', () => {
    const success = [action('r', 'retry')];
    expect(decideNext(input({ successful: true, success })).kind).toBe('fail');
  });
});

describe('decideNext on failure', () => {
  it('fails, naming the step and the message, when there are no failure actions', () => {
    expect(decideNext(input({ successful: false, stepIndex: 1, message: 'status 500' }))).toEqual({
      kind: 'fail',
      reason: "step 'b' failed: status 500",
    });
  });

  it('fails when no failure action matches', () => {
    const failure = [action('e', 'end')];
    const m = decideNext(input({ successful: false, failure, matchedFailure: [false] }));
    expect(m).toEqual({ kind: 'fail', reason: "step 'a' failed; no failure action applied" });
  });

  it('ends the workflow as failed on an end action', () => {
    const failure = [action('stop', 'end')];
    expect(decideNext(input({ successful: false, failure }))).toEqual({
      kind: 'end',
      outcome: 'failed',
      action: failure[0],
    });
  });

  it('goes to a step or a workflow on a goto action, marked as coming from a failure', () => {
    const toStep = [action('g', 'goto', { stepId: 'c' })];
    expect(decideNext(input({ successful: false, failure: toStep }))).toEqual({
      kind: 'goto-step',
      stepIndex: 2,
      stepId: 'c',
      action: toStep[0],
      from: 'failure',
    });
    const toWf = [action('g', 'goto', { workflowId: 'compensate' })];
    expect(decideNext(input({ successful: false, failure: toWf }))).toMatchObject({
      kind: 'goto-workflow',
      workflowId: 'compensate',
      from: 'failure',
    });
  });

  it('takes the first matching failure action', () => {
    const failure = [action('e', 'end'), action('g', 'goto', { stepId: 'c' }), action('e2', 'end')];
    expect(decideNext(input({ successful: false, failure, matchedFailure: [false, true, true] }))).toMatchObject({
      kind: 'goto-step',
      action: { name: 'g' },
    });
  });
});

describe('decideNext retry', () => {
  it('retries the failed step after retryAfter seconds (decimal)', () => {
    const failure = [action('r', 'retry', { retryAfter: 1.5 })];
    expect(decideNext(input({ successful: false, stepIndex: 1, failure }))).toEqual({
      kind: 'retry',
      stepIndex: 1,
      stepId: 'b',
      delaySeconds: 1.5,
      attempt: 1,
      retryKey: 'b/r',
      action: failure[0],
    });
  });

  it('lets a Retry-After header overrule retryAfter, even when it is 0', () => {
    const failure = [action('r', 'retry', { retryAfter: 1.5 })];
    expect(decideNext(input({ successful: false, failure, retryAfterHeaderSeconds: 30 }))).toMatchObject({
      delaySeconds: 30,
    });
    expect(decideNext(input({ successful: false, failure, retryAfterHeaderSeconds: 0 }))).toMatchObject({
      delaySeconds: 0,
    });
  });

  it('uses the header without retryAfter, and 0 with neither', () => {
    const failure = [action('r', 'retry')];
    expect(decideNext(input({ successful: false, failure, retryAfterHeaderSeconds: 7 }))).toMatchObject({
      delaySeconds: 7,
    });
    expect(decideNext(input({ successful: false, failure }))).toMatchObject({ delaySeconds: 0 });
  });

  it('ignores an invalid (negative or NaN) header or retryAfter', () => {
    const failure = [action('r', 'retry', { retryAfter: 2 })];
    expect(decideNext(input({ successful: false, failure, retryAfterHeaderSeconds: -1 }))).toMatchObject({
      delaySeconds: 2,
    });
    const bad = [action('r', 'retry', { retryAfter: Number.NaN })];
    expect(decideNext(input({ successful: false, failure: bad }))).toMatchObject({ delaySeconds: 0 });
  });

  it('counts attempts from retriesUsed up to retryLimit', () => {
    const failure = [action('r', 'retry', { retryLimit: 3 })];
    expect(decideNext(input({ successful: false, failure, retriesUsed: { 'a/r': 2 } }))).toMatchObject({
      kind: 'retry',
      attempt: 3,
    });
    expect(decideNext(input({ successful: false, failure, retriesUsed: { 'a/r': 3 } }))).toMatchObject({
      kind: 'fail',
      reason: "step 'a' failed; retries exhausted ('r' 3/3)",
      action: failure[0],
    });
  });

  it('defaults retryLimit to a single retry', () => {
    const failure = [action('r', 'retry', { retryLimit: undefined })];
    expect(decideNext(input({ successful: false, failure }))).toMatchObject({ kind: 'retry', attempt: 1 });
    expect(decideNext(input({ successful: false, failure, retriesUsed: { 'a/r': 1 } })).kind).toBe('fail');
  });

  it('falls through to the next matching failure action once exhausted', () => {
    const failure = [
      action('r', 'retry'),
      action('notMatching', 'end'),
      action('r2', 'retry', { retryLimit: 2 }),
      action('stop', 'end'),
    ];
    const matchedFailure = [true, false, true, true];
    const at = (retriesUsed: Record<string, number>) =>
      decideNext(input({ successful: false, failure, matchedFailure, retriesUsed }));
    expect(at({})).toMatchObject({ kind: 'retry', retryKey: 'a/r', attempt: 1 });
    expect(at({ 'a/r': 1 })).toMatchObject({ kind: 'retry', retryKey: 'a/r2', attempt: 1 });
    expect(at({ 'a/r': 1, 'a/r2': 2 })).toMatchObject({ kind: 'end', outcome: 'failed', action: { name: 'stop' } });
  });

  it('treats retryLimit 0 as no retries', () => {
    const failure = [action('r', 'retry', { retryLimit: 0 }), action('stop', 'end')];
    expect(decideNext(input({ successful: false, failure }))).toMatchObject({ kind: 'end', action: { name: 'stop' } });
  });

  it('keeps counters per step: another step’s retries do not count', () => {
    const failure = [action('r', 'retry')];
    expect(decideNext(input({ successful: false, stepIndex: 1, failure, retriesUsed: { 'a/r': 1 } }))).toMatchObject({
      kind: 'retry',
      retryKey: 'b/r',
    });
  });

  it('with a stepId, runs that step as a detour and then retries the failed step', () => {
    const failure = [action('refresh', 'retry', { stepId: 'a' })];
    expect(decideNext(input({ successful: false, stepIndex: 2, failure }))).toMatchObject({
      kind: 'retry',
      stepIndex: 2,
      stepId: 'c',
      detour: { kind: 'step', stepIndex: 0, stepId: 'a' },
    });
  });

  it('with its own stepId, is a plain retry; with a workflowId, detours through that workflow', () => {
    const self = [action('r', 'retry', { stepId: 'c' })];
    const plain = decideNext(input({ successful: false, stepIndex: 2, failure: self }));
    expect(plain.kind === 'retry' && plain.detour).toBeUndefined();
    const viaWf = [action('r', 'retry', { workflowId: 'login' })];
    expect(decideNext(input({ successful: false, failure: viaWf }))).toMatchObject({
      detour: { kind: 'workflow', workflowId: 'login' },
    });
  });

  it('fails for a detour through an unknown step', () => {
    const failure = [action('r', 'retry', { stepId: 'zzz' })];
    expect(decideNext(input({ successful: false, failure }))).toMatchObject({ kind: 'fail', action: failure[0] });
  });
});

describe('decideNext step budget', () => {
  const limit = 5;
  it('stops a move that would run one step too many', () => {
    expect(decideNext(input({ successful: true, stepRunsSoFar: 4, stepBudget: limit }))).toMatchObject({
      kind: 'next',
    });
    expect(decideNext(input({ successful: true, stepRunsSoFar: 5, stepBudget: limit }))).toMatchObject({
      kind: 'budget-exceeded',
      limit: 5,
    });
  });

  it('applies to goto (step and workflow) and retry', () => {
    const at = (o: Parameters<typeof input>[0]) =>
      decideNext(input({ ...o, stepRunsSoFar: 5, stepBudget: limit })).kind;
    expect(at({ successful: true, success: [action('g', 'goto', { stepId: 'a' })] })).toBe('budget-exceeded');
    expect(at({ successful: true, success: [action('g', 'goto', { workflowId: 'w' })] })).toBe('budget-exceeded');
    expect(at({ successful: false, failure: [action('r', 'retry')] })).toBe('budget-exceeded');
  });

  it('needs two more runs for a retry with a detour step', () => {
    const failure = [action('r', 'retry', { stepId: 'a' })];
    expect(
      decideNext(input({ successful: false, stepIndex: 1, failure, stepRunsSoFar: 4, stepBudget: limit })).kind,
    ).toBe('budget-exceeded');
    expect(
      decideNext(input({ successful: false, stepIndex: 1, failure, stepRunsSoFar: 3, stepBudget: limit })).kind,
    ).toBe('retry');
  });

  it('never blocks moves that run nothing more: end, complete, fail', () => {
    const over = { stepRunsSoFar: 9, stepBudget: limit };
    expect(decideNext(input({ successful: true, success: [action('e', 'end')], ...over })).kind).toBe('end');
    expect(decideNext(input({ successful: true, stepIndex: 2, ...over })).kind).toBe('complete');
    expect(decideNext(input({ successful: false, ...over })).kind).toBe('fail');
  });
});

describe('decideNext on inconsistent input', () => {
  it('fails for a step index out of range', () => {
    for (const stepIndex of [-1, 3, 1.5, Number.NaN]) {
      expect(decideNext(input({ successful: true, stepIndex })).kind).toBe('fail');
    }
  });
});
