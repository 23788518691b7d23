// Data shapes shared by the resolver, the decision function and their callers (the interpreter
// workflow builds a StepOutcome from the step activity's result and acts on the Move). All plain
// JSON-serialisable data, because they are recorded in Temporal's history.
import type { Criterion, Parameter, ReusableObject } from '../model.js';

/** Where an action object was written: in the step, in the workflow, or in components (via a reference). */
export type ActionOrigin = 'step' | 'workflow' | 'component';

/**
 * One success or failure action, with any Reusable Object reference replaced by its target and
 * defaults applied, as it applies to one particular step.
 */
export interface ResolvedAction {
  name: string;
  type: 'end' | 'goto' | 'retry';
  stepId?: string;
  workflowId?: string;
  /** Seconds (decimal) to wait before a retry; only for `retry`. */
  retryAfter?: number;
  /** How many retries this action allows; only for `retry`, where it defaults to 1 as the spec requires. */
  retryLimit?: number;
  /** All must hold for the action to apply; empty means it always applies. */
  criteria: Criterion[];
  /**
   * 1.1: for an action naming a `workflowId`, the parameters that become that workflow's inputs (as
   * written: the plan builder resolves references and selectors). Without them the target gets the
   * current workflow's inputs, as in 1.0.
   */
  parameters?: Array<Parameter | ReusableObject>;
  /** Where the action object itself was written (`component` when it came through a reference). */
  origin: ActionOrigin;
  /** Which list it was listed in: the step's `onSuccess`/`onFailure` or the workflow's `successActions`/`failureActions`. */
  level: 'step' | 'workflow';
  /** JSON Pointer of the action object in the document, e.g. `/workflows/0/steps/2/onFailure/1`. */
  pointer: string;
  /** For `origin: 'component'`: JSON Pointer of the Reusable Object that referenced it. */
  referencedFrom?: string;
}

/** The effective, ordered action lists of one step (see resolveStepActions for the order). */
export interface StepActions {
  success: ResolvedAction[];
  failure: ResolvedAction[];
}

/** What the step activity reports back: everything the control flow needs, nothing of the response. */
export interface StepOutcome {
  /** Whether all `successCriteria` held (or, without criteria, whether the status was 2xx: see defaultSuccess). */
  successful: boolean;
  /**
   * Per resolved action, index for index with StepActions: do all its criteria hold? An action
   * without criteria always matches. Only the list for the actual outcome is read. A missing entry
   * is treated as "matches only if the action has no criteria", so a short array cannot crash a run.
   */
  matched: { success: boolean[]; failure: boolean[] };
  /** A parsed HTTP `Retry-After` response header, in seconds; overrules an action's `retryAfter`. */
  retryAfterHeaderSeconds?: number;
  /** Why the step failed, for the `fail` reason. */
  failure?: { message: string };
}

export interface DecideInput {
  /** The current workflow's steps, in document order. */
  steps: Array<{ stepId: string }>;
  /** Index (into `steps`) of the step that just ran. */
  stepIndex: number;
  outcome: StepOutcome;
  actions: StepActions;
  /** Retries already made, per retryKey(stepId, actionName). Maintain it with recordRetries. */
  retriesUsed: Record<string, number>;
  /** Step executions so far in this run, INCLUDING the one being decided (and all sub-workflows'). */
  stepRunsSoFar: number;
  /** Most step executions a run may make (DEFAULT_STEP_BUDGET unless configured). */
  stepBudget: number;
}

/** Where a goto came from: a success action or a failure action (a failure handled by a goto is recovered). */
export type ActionPhase = 'success' | 'failure';

/**
 * For a retry action that names a `stepId` or `workflowId`: the spec says "the reference is
 * executed and the context is returned, after which the current step is retried".
 */
export type RetryDetour =
  | { kind: 'step'; stepIndex: number; stepId: string }
  | { kind: 'workflow'; workflowId: string };

/** The interpreter's next move. */
export type Move =
  /** No action applied after a success: run the following step. */
  | { kind: 'next'; stepIndex: number; stepId: string }
  /** A goto action to a step of this workflow: continue sequentially from there. */
  | { kind: 'goto-step'; stepIndex: number; stepId: string; action: ResolvedAction; from: ActionPhase }
  /**
   * A goto action to a workflow: a one-way transfer. The interpreter runs that workflow; the current
   * workflow then ends, and its outcome is the target workflow's outcome.
   */
  | { kind: 'goto-workflow'; workflowId: string; action: ResolvedAction; from: ActionPhase }
  /**
   * A retry action: run `detour` (if any) once, then wait `delaySeconds`, then run step `stepIndex`
   * (always the step that failed) again. `attempt` is 1 for the first retry. Record it with recordRetries.
   */
  | {
      kind: 'retry';
      stepIndex: number;
      stepId: string;
      delaySeconds: number;
      attempt: number;
      retryKey: string;
      action: ResolvedAction;
      detour?: RetryDetour;
    }
  /**
   * An `end` action. `succeeded` when it was a success action, `failed` when it was a failure
   * action (the step failed and the document chose to stop).
   */
  | { kind: 'end'; outcome: 'succeeded' | 'failed'; action: ResolvedAction }
  /** The last step succeeded and no action applied: the workflow finished successfully. */
  | { kind: 'complete' }
  /**
   * The step failed and no failure action applied (or all matching retries were exhausted), or the
   * input was inconsistent (unknown goto target, index out of range). `action` is the action involved, if any.
   */
  | { kind: 'fail'; reason: string; action?: ResolvedAction }
  /** The move would exceed the run's step budget (a runaway goto/retry loop). */
  | { kind: 'budget-exceeded'; limit: number; reason: string };
