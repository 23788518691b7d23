// Test driver: a pure simulated interpreter. It plays scripted step outcomes through decideNext the
// way the real interpreter workflow will (resolve actions, decide, record retries, move), without
// HTTP or Temporal, and reports which steps ran. Criteria evaluation belongs to another module, so a
// script names the actions whose criteria hold instead of supplying a response.
import {
  type Components,
  DEFAULT_STEP_BUDGET,
  decideNext,
  type Move,
  recordRetries,
  resolveStepActions,
  type StepActions,
  type StepOutcome,
  type Workflow,
} from './flow-api.js';

export interface ScriptedOutcome {
  successful: boolean;
  /** Names of actions whose criteria hold; actions without criteria match anyway. */
  matches?: string[];
  retryAfterHeaderSeconds?: number;
  message?: string;
}

/** Per stepId, the outcomes of its successive executions; the last one repeats once the list runs out. */
export type Script = Record<string, ScriptedOutcome[]>;

export interface RunResult {
  /** stepIds in execution order (retry detours included). */
  steps: string[];
  /** The move that ended the run (end, complete, fail, goto-workflow or budget-exceeded). */
  final: Move;
  moves: Move[];
  /** delaySeconds of each retry, in order. */
  delays: number[];
}

export function toOutcome(actions: StepActions, scripted: ScriptedOutcome): StepOutcome {
  const holds = (a: { name: string; criteria: unknown[] }) =>
    a.criteria.length === 0 || (scripted.matches ?? []).includes(a.name);
  const outcome: StepOutcome = {
    successful: scripted.successful,
    matched: { success: actions.success.map(holds), failure: actions.failure.map(holds) },
  };
  if (scripted.retryAfterHeaderSeconds !== undefined)
    outcome.retryAfterHeaderSeconds = scripted.retryAfterHeaderSeconds;
  if (scripted.message !== undefined) outcome.failure = { message: scripted.message };
  return outcome;
}

export function runScript(
  workflow: Workflow,
  script: Script,
  options: { components?: Components; stepBudget?: number } = {},
): RunResult {
  const stepBudget = options.stepBudget ?? DEFAULT_STEP_BUDGET;
  const actions = workflow.steps.map((s) => resolveStepActions(workflow, s, options.components));
  const steps = workflow.steps.map((s) => ({ stepId: s.stepId }));
  // A Map and hasOwn: stepIds like `valueOf` must not hit Object.prototype.
  const runsOf = new Map<string, number>();
  const execute = (stepId: string): ScriptedOutcome => {
    const list = Object.hasOwn(script, stepId) ? script[stepId] : undefined;
    if (!list || list.length === 0) throw new Error(`script has no outcome for step '${stepId}'`);
    const n = runsOf.get(stepId) ?? 0;
    runsOf.set(stepId, n + 1);
    taken.push(stepId);
    return list[Math.min(n, list.length - 1)];
  };
  const taken: string[] = [];
  const moves: Move[] = [];
  const delays: number[] = [];
  let retriesUsed: Record<string, number> = {};
  let stepIndex = 0;
  for (;;) {
    const stepId = steps[stepIndex].stepId;
    const outcome = toOutcome(actions[stepIndex], execute(stepId));
    const move = decideNext({
      steps,
      stepIndex,
      outcome,
      actions: actions[stepIndex],
      retriesUsed,
      stepRunsSoFar: taken.length,
      stepBudget,
    });
    moves.push(move);
    retriesUsed = recordRetries(retriesUsed, stepId, move);
    switch (move.kind) {
      case 'next':
      case 'goto-step':
        stepIndex = move.stepIndex;
        break;
      case 'retry':
        // The detour's own outcome is not decided on: control returns to the failed step regardless.
        if (move.detour?.kind === 'step') execute(move.detour.stepId);
        delays.push(move.delaySeconds);
        stepIndex = move.stepIndex;
        break;
      default:
        return { steps: taken, final: move, moves, delays };
    }
  }
}
