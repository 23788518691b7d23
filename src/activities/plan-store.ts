// Where a step activity finds the step it runs. The plan is recorded in history once, as the load
// activity's result (or in a nested/continued run's start input); the interpreter then schedules each
// step with a reference (plan digest, workflow, step) instead of a copy of the step's operation,
// criteria and outputs, which would put the plan into history a second time, one slice per step.
//
// The worker keeps the plans its load activity built, by digest. A worker that did not build the plan
// (another worker, or this one after a restart) reads it back from the run's own history, through the
// worker's client and data converter, once, and keeps it. Either way the step comes from the plan
// recorded for this run: the run stays pinned to the document as it was at start, and the operation's
// seal is checked as before.
import { createHash } from 'node:crypto';
import { activityInfo, getClient } from '@temporalio/activity';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { Plan } from '../arazzo/plan/types.js';

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

/** A short content digest of a plan as recorded (JSON text, key order as built). */
export function planDigest(plan: Plan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('base64url').slice(0, 32);
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
  async get(digest: string, readRecorded: () => Promise<Plan[]> = recordedPlans): Promise<Plan> {
    const kept = this.plans.get(digest);
    if (kept) return kept;
    for (const plan of await readRecorded()) {
      if (planDigest(plan) !== digest) continue;
      this.remember(plan, digest);
      return plan;
    }
    throw new PlanNotFoundError(`plan ${digest} is not recorded in this run's history`);
  }
}

/**
 * The plans recorded in the current run's history: the start input's `plan` (nested or continued
 * runs) and every `loadPlan` result. Reads the whole history page by page; a run's history before its
 * first step is a few events, and this happens once per plan per worker process.
 */
async function recordedPlans(): Promise<Plan[]> {
  const execution = activityInfo().workflowExecution;
  if (!execution) return [];
  const client = getClient();
  const converter = client.options.loadedDataConverter;
  const loadPlanEvents = new Set<string>();
  const plans: Plan[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId: execution.workflowId, runId: execution.runId },
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      if (started) {
        const input = await decodeFromPayloadsAtIndex<{ plan?: Plan }>(converter, 0, started.input?.payloads);
        if (input?.plan) plans.push(input.plan);
      }
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'loadPlan') loadPlanEvents.add(String(event.eventId));
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && loadPlanEvents.has(String(completed.scheduledEventId))) {
        const result = await decodeFromPayloadsAtIndex<{ plan?: Plan }>(converter, 0, completed.result?.payloads);
        if (result?.plan) plans.push(result.plan);
      }
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return plans;
}
