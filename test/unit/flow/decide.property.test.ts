// Properties of decideNext over random valid inputs, and of whole simulated runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecideInput, decideNext, type ResolvedAction, type StepOutcome, type Workflow } from './flow-api.js';
import { runScript, type Script } from './run-script.js';

const stepIdsArb = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 6 });

function actionArb(stepIds: string[], phase: 'success' | 'failure'): fc.Arbitrary<ResolvedAction> {
  const target = fc.oneof(
    fc.record({ stepId: fc.constantFrom(...stepIds) }),
    fc.record({ workflowId: fc.string({ minLength: 1, maxLength: 5 }) }),
  );
  const base = {
    name: fc.string({ maxLength: 6 }),
    criteria: fc.array(fc.record({ condition: fc.constant('$statusCode == 200') }), { maxLength: 2 }),
    origin: fc.constantFrom('step' as const, 'workflow' as const, 'component' as const),
    level: fc.constantFrom('step' as const, 'workflow' as const),
    pointer: fc.constant('/p'),
  };
  const end = fc.record({ ...base, type: fc.constant('end' as const) });
  const goto = fc
    .tuple(fc.record({ ...base, type: fc.constant('goto' as const) }), target)
    .map(([a, t]) => ({ ...a, ...t }));
  const retry = fc
    .tuple(
      fc.record({
        ...base,
        type: fc.constant('retry' as const),
        retryLimit: fc.nat(5),
        retryAfter: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
      }),
      fc.option(target, { nil: undefined }),
    )
    .map(([a, t]) => ({ ...a, ...(t ?? {}) }));
  return (phase === 'success' ? fc.oneof(end, goto) : fc.oneof(end, goto, retry)) as fc.Arbitrary<ResolvedAction>;
}

const inputArb: fc.Arbitrary<DecideInput> = stepIdsArb.chain((ids) =>
  fc
    .record({
      stepIndex: fc.nat(ids.length - 1),
      success: fc.array(actionArb(ids, 'success'), { maxLength: 4 }),
      failure: fc.array(actionArb(ids, 'failure'), { maxLength: 4 }),
      successful: fc.boolean(),
      matchedSuccess: fc.array(fc.boolean(), { maxLength: 5 }),
      matchedFailure: fc.array(fc.boolean(), { maxLength: 5 }),
      header: fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: undefined }),
      retriesUsed: fc.dictionary(fc.string({ maxLength: 10 }), fc.nat(6)),
      stepRunsSoFar: fc.integer({ min: 1, max: 50 }),
      stepBudget: fc.integer({ min: 1, max: 50 }),
    })
    .map((r) => {
      const outcome: StepOutcome = {
        successful: r.successful,
        matched: { success: r.matchedSuccess, failure: r.matchedFailure },
      };
      if (r.header !== undefined) outcome.retryAfterHeaderSeconds = r.header;
      return {
        steps: ids.map((stepId) => ({ stepId })),
        stepIndex: r.stepIndex,
        outcome,
        actions: { success: r.success, failure: r.failure },
        retriesUsed: r.retriesUsed,
        stepRunsSoFar: r.stepRunsSoFar,
        stepBudget: r.stepBudget,
      };
    }),
);

describe('decideNext properties', () => {
  it('never throws and keeps every step index in range', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const move = decideNext(input);
        const n = input.steps.length;
        switch (move.kind) {
          case 'next':
          case 'goto-step':
          case 'retry':
            expect(Number.isInteger(move.stepIndex)).toBe(true);
            expect(move.stepIndex).toBeGreaterThanOrEqual(0);
            expect(move.stepIndex).toBeLessThan(n);
            expect(input.steps[move.stepIndex].stepId).toBe(move.stepId);
            expect(input.stepRunsSoFar).toBeLessThan(input.stepBudget);
            break;
          case 'budget-exceeded':
            expect(move.limit).toBe(input.stepBudget);
            break;
        }
        if (move.kind === 'next') expect(move.stepIndex).toBe(input.stepIndex + 1);
        if (move.kind === 'retry') {
          expect(move.stepIndex).toBe(input.stepIndex);
          expect(move.attempt).toBeGreaterThanOrEqual(1);
          expect(move.attempt).toBeLessThanOrEqual(move.action.retryLimit ?? 1);
          expect(move.delaySeconds).toBeGreaterThanOrEqual(0);
          if (input.outcome.retryAfterHeaderSeconds !== undefined) {
            expect(move.delaySeconds).toBe(input.outcome.retryAfterHeaderSeconds);
          }
          if (move.detour?.kind === 'step') expect(input.steps[move.detour.stepIndex].stepId).toBe(move.detour.stepId);
        }
        if (move.kind === 'complete') expect(input.stepIndex).toBe(input.steps.length - 1);
        // Success and failure outcomes lead to disjoint end results.
        if (move.kind === 'end') expect(move.outcome).toBe(input.outcome.successful ? 'succeeded' : 'failed');
        if (input.outcome.successful) expect(move.kind).not.toBe('retry');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('simulated runs', () => {
  // Random workflows with random goto/retry/end actions and random (repeating) outcomes always stop
  // within the step budget.
  const runArb = stepIdsArb.chain((ids) =>
    fc.record({
      ids: fc.constant(ids),
      onSuccess: fc.array(fc.option(fc.constantFrom(...ids), { nil: undefined }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      onFailureRetry: fc.array(fc.nat(3), { minLength: ids.length, maxLength: ids.length }),
      outcomes: fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      budget: fc.integer({ min: 1, max: 40 }),
    }),
  );

  it('always terminate within the budget', () => {
    fc.assert(
      fc.property(runArb, ({ ids, onSuccess, onFailureRetry, outcomes, budget }) => {
        const workflow: Workflow = {
          workflowId: 'w',
          steps: ids.map((stepId, i) => ({
            stepId,
            onSuccess: onSuccess[i] ? [{ name: 'g', type: 'goto', stepId: onSuccess[i] }] : [],
            onFailure: [{ name: 'r', type: 'retry', retryLimit: onFailureRetry[i] }],
          })),
        };
        const script: Script = Object.fromEntries(
          ids.map((id, i) => [id, outcomes[i].map((successful) => ({ successful }))]),
        );
        const result = runScript(workflow, script, { stepBudget: budget });
        expect(result.steps.length).toBeLessThanOrEqual(budget);
        expect(['complete', 'fail', 'budget-exceeded', 'end']).toContain(result.final.kind);
      }),
      { numRuns: 500 },
    );
  });
});
