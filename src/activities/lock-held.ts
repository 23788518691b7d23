// The first step of a fresh run is scheduled in the same workflow task as the start of its lock
// (workflows/interpreter.ts, patch `lockTakenWithFirstStep`), so its activity can begin before the lock is
// held. Before anything is sent, the activity confirms here that the lock's workflow is running with
// this run as its parent. Temporal never runs two executions with one workflow id, so that proves no
// other run holds the credential's lock now; and a previous holder's lock ends only when that holder has
// closed, so its requests are behind us. That is exactly what a run knew before, when it scheduled its
// first step only after the lock's start was recorded in its history: the guarantee is the same, one
// workflow task sooner.
//
// Anything else (another run holds the lock, or the start is not visible within the budget) fails the
// activity with `LockNotHeld` before a byte is sent; the workflow then waits for its lock as a run that
// found it busy always has, and runs the step again. The step's reference comes only in `underLock`
// (run-step.ts), so a worker that does not know this check cannot send the step either.
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

export interface ConfirmLockOptions {
  /**
   * How long the lock's start may take to become visible. It stays below the 5 s margin a step's
   * activity timeout has over its request timeout (step-activity.ts), so waiting here never turns a
   * request that was sent into a timed-out step.
   */
  budgetMs: number;
  /** Between two looks while the lock is not started yet. */
  intervalMs: number;
}

const DEFAULTS: ConfirmLockOptions = { budgetMs: 3_000, intervalMs: 10 };

const RUNNING = proto.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

/** Resolves once `lockWorkflowId` runs with run `runId` as its parent; else throws `LockNotHeld`. */
export async function confirmLockHeld(
  client: Client,
  lockWorkflowId: string,
  runId: string,
  options: Partial<ConfirmLockOptions> = {},
): Promise<void> {
  const { budgetMs, intervalMs } = { ...DEFAULTS, ...options };
  const deadline = Date.now() + budgetMs;
  let lastSeen = 'not started';
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const seen = await client.workflowService
      .describeWorkflowExecution({ namespace: client.options.namespace, execution: { workflowId: lockWorkflowId } })
      .then(
        (d) => ({
          found: true as const,
          status: d.workflowExecutionInfo?.status,
          parent: d.workflowExecutionInfo?.parentExecution,
        }),
        // Not found yet, or the server did not answer: look again until the budget is spent.
        () => ({ found: false as const }),
      );
    if (seen.found && seen.status === RUNNING) {
      if (seen.parent?.runId === runId) return;
      // Another run holds it now: it will not be ours before that run closes.
      throw lockNotHeld(lockWorkflowId, `it is held by workflow ${seen.parent?.workflowId ?? '(unknown)'}`);
    }
    // Closed: a previous holder's lock, before ours starts.
    if (seen.found) lastSeen = 'only a closed lock was found';
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
  throw lockNotHeld(lockWorkflowId, `${lastSeen} within ${budgetMs} ms`);
}

function lockNotHeld(lockWorkflowId: string, why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'LockNotHeld',
    message: `the lock ${lockWorkflowId} is not held by this run yet (${why}); nothing was sent, the run waits for its lock and sends this step then`,
    nonRetryable: true,
  });
}
