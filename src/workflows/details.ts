// The Markdown shown as "Current details" in the Temporal Web UI: where the run is and, when it
// waits for a person, exactly what to type. Pure function of the progress.
import type { RunProgress } from './types.js';

/** One glyph per step status, shared with the CLI's progress lines. */
export const STEP_ICONS: Record<string, string> = {
  pending: '·',
  running: '▶',
  'awaiting-approval': '⏸',
  succeeded: '✔',
  failed: '✘',
  skipped: '–',
  'needs-attention': '⚠',
  compensated: '↶',
};

function shellQuote(json: unknown): string {
  return `'${JSON.stringify(json).replace(/'/g, `'\\''`)}'`;
}

export function approveCommand(workflowRunId: string, stepId: string, approvalId: string): string {
  return `temporal workflow signal --workflow-id ${workflowRunId} --name approve --input ${shellQuote({ stepId, approvalId, by: 'YOUR-NAME' })}`;
}

export function rejectCommand(workflowRunId: string, stepId: string, approvalId: string): string {
  return `temporal workflow signal --workflow-id ${workflowRunId} --name reject --input ${shellQuote({ stepId, approvalId, by: 'YOUR-NAME', reason: 'WHY', compensate: false })}`;
}

export function renderDetails(progress: RunProgress, workflowRunId: string): string {
  const lines: string[] = [];
  lines.push(
    `**Arazzo workflow** \`${progress.workflowId}\` from \`${progress.document}\` — state **${progress.state}**`,
  );
  if (progress.lockKey) lines.push(`Lock: \`${progress.lockKey}\``);
  if (progress.refusal) {
    lines.push('');
    lines.push('### Refused by the worker; no request was sent');
    lines.push('```');
    lines.push(progress.refusal.replaceAll('```', '` ` `'));
    lines.push('```');
  }
  lines.push('');
  for (const s of progress.steps) {
    const http = s.httpStatus !== undefined ? ` → HTTP ${s.httpStatus}` : '';
    const attempts = s.attempts > 1 ? ` (${s.attempts} attempts)` : '';
    const note = s.message ? ` — ${s.message}` : '';
    lines.push(
      `- ${STEP_ICONS[s.status] ?? '?'} \`${s.stepId}\` ${s.operation} — ${s.status}${http}${attempts}${note}`,
    );
  }
  const pending = progress.pendingApproval;
  if (pending) {
    lines.push('');
    lines.push(`### Approval pending for \`${pending.stepId}\``);
    lines.push(`\`${pending.method} ${pending.url}\``);
    const target = Object.entries(pending.target)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    if (target) lines.push(`Target: ${target}`);
    for (const d of pending.secrets ?? []) lines.push(`New secret: ${d}`);
    lines.push(`Approval id \`${pending.approvalId}\`, expires ${pending.expiresAt}.`);
    lines.push('Approve:');
    lines.push('```');
    lines.push(approveCommand(workflowRunId, pending.stepId, pending.approvalId));
    lines.push('```');
    lines.push('Reject (add `"compensate": true` to undo completed steps):');
    lines.push('```');
    lines.push(rejectCommand(workflowRunId, pending.stepId, pending.approvalId));
    lines.push('```');
  }
  const attention = progress.attention;
  if (attention) {
    lines.push('');
    lines.push(`### Needs attention at \`${attention.stepId}\``);
    lines.push(attention.reason);
    lines.push(`What is known: ${attention.known}`);
    lines.push(`Choose one: ${attention.options.join('; ')}`);
  }
  const outputs = Object.entries(progress.outputs);
  if (outputs.length) {
    lines.push('');
    lines.push('Outputs:');
    for (const [k, v] of outputs) lines.push(`- \`${k}\`: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return lines.join('\n');
}
