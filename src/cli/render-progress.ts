// A run's progress as a person reads it in a terminal: one line per step, what is pending and the
// exact command to give a decision. Values whose names say "secret" are masked again here, whatever
// the workflow already did (the CLI never prints a secret).
import { MASK, maskValue, isSecretName } from '../arazzo/secrets/mask.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';
import { approveCommand, STEP_ICONS as ICONS } from '../workflows/details.js';
import type { RunProgress, StepProgress } from '../workflows/types.js';

export function stepLine(step: StepProgress): string {
  const http = step.httpStatus !== undefined ? ` → HTTP ${step.httpStatus}` : '';
  const attempts = step.attempts > 1 ? ` (${step.attempts} attempts)` : '';
  const note = step.message ? ` — ${step.message}` : '';
  return `${ICONS[step.status] ?? '?'} ${step.stepId} ${step.status}: ${step.operation}${http}${attempts}${note}`;
}

/** Masks secret-named values that are not masked yet. */
export function maskOutputs(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const masked = typeof value === 'string' && value.startsWith(MASK);
    if (isSecretRef(value)) out[name] = `secret reference ${value.$secret}`;
    else out[name] = isSecretName(name) && value !== undefined && !masked ? maskValue(value) : value;
  }
  return out;
}

/** The commands that give the decision a pending approval waits for. */
export function approveHint(workflowRunId: string): string[] {
  return [
    `approve: npx arazzo-temporal approve ${workflowRunId} --by YOUR-NAME`,
    `reject:  npx arazzo-temporal reject ${workflowRunId} --by YOUR-NAME --reason WHY [--compensate]`,
  ];
}

export function renderProgress(progress: RunProgress, workflowRunId: string, temporalStatus?: string): string {
  const lines = [
    `run ${workflowRunId}: ${progress.state}${temporalStatus ? ` (Temporal: ${temporalStatus})` : ''}`,
    `  document ${progress.document}, workflow ${progress.workflowId}${progress.lockKey ? `, lock ${progress.lockKey}` : ''}`,
  ];
  for (const step of progress.steps) lines.push(`  ${stepLine(step)}`);
  const pending = progress.pendingApproval;
  if (pending) {
    const target = Object.entries(pending.target)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(
      '',
      `approval pending for ${pending.stepId}: ${pending.method} ${pending.url}${target ? ` (${target})` : ''}`,
    );
    lines.push(`  approval id ${pending.approvalId}, expires ${pending.expiresAt}`);
    for (const hint of approveHint(workflowRunId)) lines.push(`  ${hint}`);
    lines.push(`  with the temporal CLI: ${approveCommand(workflowRunId, pending.stepId, pending.approvalId)}`);
  }
  const attention = progress.attention;
  if (attention) {
    lines.push('', `needs attention at ${attention.stepId}: ${attention.reason}`);
    lines.push(`  what is known: ${attention.known}`);
    for (const option of attention.options) lines.push(`  - ${option}`);
  }
  for (const a of progress.approvals) {
    lines.push(
      `  ${a.decision} ${a.stepId}${a.by ? ` by ${a.by}` : ''} at ${a.at}${a.comment ? ` (${a.comment})` : ''}`,
    );
  }
  const outputs = Object.entries(maskOutputs(progress.outputs));
  if (outputs.length) {
    lines.push('outputs:');
    for (const [k, v] of outputs) lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return lines.join('\n');
}
