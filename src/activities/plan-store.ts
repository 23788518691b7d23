// Where a step activity finds the step it runs. The plan is recorded in history once, as the load
// activity's result (or in a nested/continued run's start input); the interpreter then schedules each
// step with a reference (plan digest, workflow, step) instead of a copy of the step's operation,
// criteria and outputs, which would put the plan into history a second time, one slice per step.
//
// The worker keeps the plans its load activity built, by digest. A worker that did not build the plan
// (another worker, or this one after a restart) reads it back from the run's own history
// (run-history.ts), once, and keeps it. Either way the step comes from the plan recorded for this run:
// the run stays pinned to the document as it was at start, and the operation's seal is checked as before.
import { createHash } from 'node:crypto';
import type { Plan } from '../arazzo/plan/types.js';
import { recordedPlans } from './run-history.js';

/** A step of the run's recorded plan, as the interpreter names it to the step activity. */
export interface PlanStepRef {
  /** `planDigest` of the plan (from the load activity's result). */
  digest: string;
  /** The Arazzo workflow the step belongs to. */
  workflowId: string;
  stepId: string;
  /** The step itself, or its `x-compensation`. */
  part: 'step' | 'compensation';
}

/**
 * A short content digest of a plan as recorded (JSON text, key order as built), without the workflow
 * the run executes: a nested run's plan is its parent's with another `workflowId`, and names its steps
 * by the parent's digest.
 */
export function planDigest(plan: Plan): string {
  return digestOf({ ...plan, workflowId: undefined });
}

/** The digest runs recorded before nested runs shared their parent's (it covered `workflowId` too). */
function legacyPlanDigest(plan: Plan): string {
  return digestOf(plan);
}

function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);
}

export class PlanNotFoundError extends Error {}

export class PlanStore {
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly maxPlans = 256) {}

  /** Keeps a plan this worker built (or read back); returns its digest. */
  remember(plan: Plan, digest = planDigest(plan)): string {
    this.plans.delete(digest);
    this.plans.set(digest, plan);
    while (this.plans.size > this.maxPlans) this.plans.delete(this.plans.keys().next().value as string);
    return digest;
  }

  /** The plan with this digest: kept here, or read back from the current activity's run history. */
  async get(digest: string, readRecorded: () => Promise<Plan[]> = () => recordedPlans()): Promise<Plan> {
    const kept = this.plans.get(digest);
    if (kept) return kept;
    for (const plan of await readRecorded()) {
      if (planDigest(plan) !== digest && legacyPlanDigest(plan) !== digest) continue;
      this.remember(plan, digest);
      return plan;
    }
    throw new PlanNotFoundError(`plan ${digest} is not recorded in this run's history`);
  }
}
