// The control-flow decision: given what the step activity observed, pick the interpreter's next
// move. Pure and total: it never throws (an exception in workflow code fails the workflow task and
// Temporal would retry it forever), so inconsistent input becomes a `fail` move with a reason.
//
// Rules (Arazzo 1.0.1, Step Object onSuccess/onFailure, Success/Failure Action Objects):
// - Success: the first success action whose criteria hold wins. `end` ends the workflow
//   successfully; `goto` jumps to a step of this workflow (execution continues sequentially from
//   there) or transfers to a workflow (one-way: the current workflow then ends with the target's
//   outcome). No action applies → the next step, or `complete` after the last one.
// - Failure: the first failure action whose criteria hold wins. `retry` re-runs the failed step
//   after `retryAfter` seconds, overruled by an HTTP Retry-After header, at most `retryLimit`
//   times (default 1); once exhausted the search continues with the next matching failure action
//   ("the retryLimit MUST be exhausted prior to executing subsequent failure actions"). `end` ends
//   the workflow as failed. `goto` as for success (the failure counts as handled). No action
//   applies → `fail` (the spec's default: "break and return").
// - A retry naming a `stepId`/`workflowId` does NOT retry that target: per the spec "the
//   reference is executed and the context is returned, after which the current step is retried".
//   It becomes a `detour` on the retry move; a stepId equal to the failed step is a plain retry.
// - Budget: a move that would run more steps than `stepBudget` allows (counting the run so far,
//   the current step included) becomes `budget-exceeded`, which stops runaway goto/retry loops.
//   next/goto/retry need one more run; a retry with a detour needs two. end/complete/fail need none.
import { retryKey } from './retry-state.js';
import type { ActionPhase, DecideInput, Move, ResolvedAction, RetryDetour } from './types.js';

/** Step executions a run may make unless configured otherwise. */
export const DEFAULT_STEP_BUDGET = 1000;

export function decideNext(input: DecideInput): Move {
  const { steps, stepIndex } = input;
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= steps.length) {
    return { kind: 'fail', reason: `step index ${stepIndex} is out of range: the workflow has ${steps.length} steps` };
  }
  return input.outcome.successful ? onSuccess(input) : onFailure(input);
}

function onSuccess(input: DecideInput): Move {
  const { steps, stepIndex } = input;
  const stepId = steps[stepIndex].stepId;
  const actions = input.actions.success;
  for (let i = 0; i < actions.length; i++) {
    if (!matches(actions, input.outcome.matched?.success, i)) continue;
    const action = actions[i];
    if (action.type === 'end') return { kind: 'end', outcome: 'succeeded', action };
    if (action.type === 'goto') return goto(input, stepId, action, 'success');
    return {
      kind: 'fail',
      reason: `success action '${action.name}' of step '${stepId}' has type '${action.type}', which is not a success action type`,
      action,
    };
  }
  if (stepIndex + 1 >= steps.length) return { kind: 'complete' };
  return overBudget(input, 1) ?? { kind: 'next', stepIndex: stepIndex + 1, stepId: steps[stepIndex + 1].stepId };
}

function onFailure(input: DecideInput): Move {
  const { steps, stepIndex, outcome } = input;
  const stepId = steps[stepIndex].stepId;
  const actions = input.actions.failure;
  const exhausted: string[] = [];
  let lastExhausted: ResolvedAction | undefined;
  for (let i = 0; i < actions.length; i++) {
    if (!matches(actions, outcome.matched?.failure, i)) continue;
    const action = actions[i];
    if (action.type === 'end') return { kind: 'end', outcome: 'failed', action };
    if (action.type === 'goto') return goto(input, stepId, action, 'failure');
    if (action.type !== 'retry') {
      return {
        kind: 'fail',
        reason: `failure action '${action.name}' of step '${stepId}' has type '${action.type}'`,
        action,
      };
    }
    const key = retryKey(stepId, action.name);
    const used = nonNegative(input.retriesUsed?.[key], 0);
    const limit = Math.floor(nonNegative(action.retryLimit, 1));
    if (used >= limit) {
      exhausted.push(`'${action.name}' ${used}/${limit}`);
      lastExhausted = action;
      continue; // exhausted: fall through to the next matching failure action
    }
    const detour = retryDetour(steps, stepId, action);
    if (typeof detour === 'string') return { kind: 'fail', reason: detour, action };
    const budget = overBudget(input, detour ? 2 : 1);
    if (budget) return budget;
    const move: Move = {
      kind: 'retry',
      stepIndex,
      stepId,
      // The spec: a Retry-After header "SHOULD overrule" retryAfter.
      delaySeconds: nonNegative(outcome.retryAfterHeaderSeconds, nonNegative(action.retryAfter, 0)),
      attempt: used + 1,
      retryKey: key,
      action,
    };
    if (detour) move.detour = detour;
    return move;
  }
  const why = outcome.failure?.message ? `: ${outcome.failure.message}` : '';
  const tail =
    exhausted.length > 0
      ? `; retries exhausted (${exhausted.join(', ')})`
      : actions.length > 0
        ? '; no failure action applied'
        : '';
  const move: Move = { kind: 'fail', reason: `step '${stepId}' failed${why}${tail}` };
  if (lastExhausted) move.action = lastExhausted;
  return move;
}

function goto(input: DecideInput, stepId: string, action: ResolvedAction, from: ActionPhase): Move {
  if (action.stepId !== undefined) {
    const target = input.steps.findIndex((s) => s.stepId === action.stepId);
    if (target < 0) {
      return {
        kind: 'fail',
        reason: `${from} action '${action.name}' of step '${stepId}' goes to unknown step '${action.stepId}'`,
        action,
      };
    }
    return overBudget(input, 1) ?? { kind: 'goto-step', stepIndex: target, stepId: action.stepId, action, from };
  }
  if (action.workflowId !== undefined) {
    // The target workflow runs at least one step (a workflow has one or more).
    return overBudget(input, 1) ?? { kind: 'goto-workflow', workflowId: action.workflowId, action, from };
  }
  return {
    kind: 'fail',
    reason: `${from} action '${action.name}' of step '${stepId}' is a goto without a target`,
    action,
  };
}

/** The retry's detour, undefined for a plain retry, or a reason string when the target is unknown. */
function retryDetour(
  steps: DecideInput['steps'],
  stepId: string,
  action: ResolvedAction,
): RetryDetour | undefined | string {
  if (action.workflowId !== undefined) return { kind: 'workflow', workflowId: action.workflowId };
  if (action.stepId === undefined || action.stepId === stepId) return undefined;
  const target = steps.findIndex((s) => s.stepId === action.stepId);
  if (target < 0)
    return `failure action '${action.name}' of step '${stepId}' retries via unknown step '${action.stepId}'`;
  return { kind: 'step', stepIndex: target, stepId: action.stepId };
}

/** An explicit per-action result wins; without one, only a criteria-free action matches. */
function matches(actions: ResolvedAction[], matched: boolean[] | undefined, i: number): boolean {
  const m = matched?.[i];
  return typeof m === 'boolean' ? m : (actions[i].criteria?.length ?? 0) === 0;
}

function overBudget(input: DecideInput, more: number): Move | undefined {
  if (input.stepRunsSoFar + more <= input.stepBudget || Number.isNaN(input.stepBudget)) return undefined;
  return {
    kind: 'budget-exceeded',
    limit: input.stepBudget,
    reason: `step budget of ${input.stepBudget} executions exceeded after ${input.stepRunsSoFar}; is there a goto or retry loop?`,
  };
}

/** A finite (or +Infinity) non-negative number, else the fallback: bad numbers must not crash a run. */
function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value >= 0 ? value : fallback;
}
