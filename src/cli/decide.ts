// `approve` / `reject`: the decision goes through the workflow UPDATE of the same name, so a mistake
// (wrong step, stale approval, nothing pending) is refused at once with the interpreter's reason,
// instead of being silently ignored like a signal. Step and approval id default to what is pending.
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApproveArgs, RejectArgs, RunProgress } from '../workflows/types.js';
import { CliError } from './errors.js';
import { explainQueryError, queryProgress } from './progress-query.js';

export interface Decision {
  kind: 'approve' | 'reject';
  workflowRunId: string;
  stepId?: string;
  by: string;
  /** approve: a comment; reject: the reason (required). */
  reason?: string;
  compensate?: boolean;
}

export interface DecisionOutcome {
  stepId: string;
  approvalId?: string;
  /** The interpreter's answer, e.g. `approved revokeOldConnection; executing DELETE ...`. */
  answer: string;
}

export async function decide(client: Client, decision: Decision): Promise<DecisionOutcome> {
  const handle = client.workflow.getHandle(decision.workflowRunId);
  const progress = await currentProgress(client, decision.workflowRunId);
  const pending = progress.pendingApproval;
  if (!pending && !decision.stepId) {
    throw new CliError(
      `no approval is pending for ${decision.workflowRunId} (state: ${progress.state})`,
      `see where it is: arazzo-temporal status ${decision.workflowRunId}`,
    );
  }
  const stepId = decision.stepId ?? pending!.stepId;
  const approvalId = pending?.stepId === stepId ? pending.approvalId : undefined;
  try {
    const answer =
      decision.kind === 'approve'
        ? await handle.executeUpdate<string, [ApproveArgs]>('approve', {
            args: [{ stepId, approvalId, by: decision.by, comment: decision.reason }],
          })
        : await handle.executeUpdate<string, [RejectArgs]>('reject', {
            args: [
              { stepId, approvalId, by: decision.by, reason: decision.reason ?? '', compensate: decision.compensate },
            ],
          });
    return { stepId, approvalId, answer };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new CliError(
        `${decision.kind} refused: ${err.cause?.message ?? err.message}`,
        `see where it is: arazzo-temporal status ${decision.workflowRunId}`,
      );
    }
    throw err;
  }
}

/** The progress query, with "no such run" and "no worker answers" as clear errors. */
export async function currentProgress(client: Client, workflowRunId: string): Promise<RunProgress> {
  const handle = client.workflow.getHandle(workflowRunId);
  try {
    return await queryProgress(handle);
  } catch (err) {
    throw explainQueryError(err, workflowRunId);
  }
}
