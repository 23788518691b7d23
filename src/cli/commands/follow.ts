// Following a run after `start --wait` / `approve --wait`, and what its end means as an exit code.
import type { WorkflowHandle } from '@temporalio/client';
import { EXIT } from '../errors.js';
import { type FollowOutcome, followProgress } from '../follow-progress.js';
import { approveHint, maskOutputs } from '../render-progress.js';
import { out } from '../output.js';

export async function followAndReport(
  handle: WorkflowHandle,
  json: boolean,
  decidedApprovalId?: string,
): Promise<number> {
  const outcome = await followProgress(handle, {
    decidedApprovalId,
    out: json ? () => undefined : out,
    spinner: !json && process.stderr.isTTY ? process.stderr : undefined,
  });
  if (json) {
    out(JSON.stringify(jsonOutcome(handle.workflowId, outcome), null, 2));
  } else {
    out(`run ${handle.workflowId}: ${outcome.state}`);
    if (outcome.state === 'awaiting-approval' && outcome.progress?.pendingApproval) {
      const p = outcome.progress.pendingApproval;
      out(`approval needed for ${p.stepId}: ${p.method} ${p.url}`);
      for (const hint of approveHint(handle.workflowId)) out(hint);
    }
    if (outcome.state === 'needs-attention' && outcome.progress?.attention) {
      const a = outcome.progress.attention;
      out(`needs attention at ${a.stepId}: ${a.reason}`);
      out(`what is known: ${a.known}`);
      for (const option of a.options) out(`- ${option}`);
    }
    if (outcome.failure) out(`why: ${outcome.failure}`);
    if (outcome.result?.message) out(outcome.result.message);
    for (const [k, v] of Object.entries(maskOutputs(outcome.result?.outputs ?? {}))) {
      out(`output ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
  }
  return exitCodeFor(outcome);
}

export function exitCodeFor(outcome: FollowOutcome): number {
  if (outcome.state === 'completed' || outcome.state === 'awaiting-approval') return EXIT.ok;
  if (outcome.state === 'needs-attention') return EXIT.attention;
  return EXIT.failure;
}

function jsonOutcome(workflowId: string, o: FollowOutcome) {
  return {
    workflowId,
    state: o.state,
    pendingApproval: o.progress?.pendingApproval,
    attention: o.progress?.attention,
    failure: o.failure,
    message: o.result?.message,
    outputs: o.result ? maskOutputs(o.result.outputs) : undefined,
    steps: o.result?.steps ?? o.progress?.steps,
  };
}
