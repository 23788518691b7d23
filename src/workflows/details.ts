// The Markdown shown as "Current details" in the Temporal Web UI: where the run is and, when it
// waits for a person, exactly what to type. Pure function of the progress.
import type { ApprovalRecord, PendingApproval, RunProgress } from './types.js';

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

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The signal's JSON input as one shell word. `by` omitted: the command is printed for whoever pastes
 * it (the Web UI, a webhook), so the shell fills in their login name (`"$USER"`, spliced between two
 * single-quoted halves) instead of a placeholder nobody replaces.
 */
function decisionInput(fields: Record<string, unknown>, by: string | undefined): string {
  if (by !== undefined) return shellQuote(JSON.stringify({ ...fields, by }));
  return `${shellQuote(`${JSON.stringify(fields).slice(0, -1)},"by":"`)}"$USER"${shellQuote('"}')}`;
}

/** The `temporal workflow signal` that approves; `by` omitted: the login name of whoever pastes it. */
export function approveCommand(workflowRunId: string, stepId: string, approvalId: string, by?: string): string {
  return `temporal workflow signal --workflow-id ${workflowRunId} --name approve --input ${decisionInput({ stepId, approvalId }, by)}`;
}

export function rejectCommand(workflowRunId: string, stepId: string, approvalId: string, by?: string): string {
  const fields = { stepId, approvalId, reason: 'WHY', compensate: false };
  return `temporal workflow signal --workflow-id ${workflowRunId} --name reject --input ${decisionInput(fields, by)}`;
}

/** Our own CLI's decision commands: --by defaults to the login name of whoever runs them. */
export function cliDecisionCommands(workflowRunId: string, stepId: string): string[] {
  return [
    `npx arazzo-temporal approve ${workflowRunId} --step ${stepId}`,
    `npx arazzo-temporal reject ${workflowRunId} --step ${stepId} --reason 'WHY' [--compensate]`,
  ];
}

/** The signed decisions an approver gives under an approval policy (the CLI signs them with the key). */
export function signedDecisionCommands(workflowRunId: string, stepId: string): string[] {
  return [
    `npx arazzo-temporal approve ${workflowRunId} --step ${stepId} --key <your key file>`,
    `npx arazzo-temporal reject ${workflowRunId} --step ${stepId} --key <your key file> --reason WHY`,
  ];
}

/** Whether decisions are authenticated; under a policy, who must approve, who has, how many are still needed. */
export function authenticationLines(pending: PendingApproval): string[] {
  if (pending.authenticated === false) return [`⚠ ${pending.notice}`];
  if (!pending.authenticated || !pending.required) return [];
  const { group, quorum } = pending.required;
  const given = pending.approvals ?? [];
  return [
    `Needs ${quorum} signed approval${quorum > 1 ? 's' : ''} from ${group ? `group "${group}"` : 'any approver of the policy'}: ${given.length} given, ${Math.max(0, quorum - given.length)} still needed.`,
    ...given.map((a) => `Approved by ${a.name} (group ${a.group ?? '-'}, key ${a.fingerprint}) at ${a.at}`),
    `Signatures cover run ${pending.runId}, approval id ${pending.approvalId} and request digest ${pending.requestDigest}.`,
  ];
}

/** One decision of the audit trail: who (verified or as typed), how, when. */
export function decisionLine(a: ApprovalRecord): string {
  const who = a.by ? ` by ${a.by}` : '';
  const proof =
    a.authenticated === true
      ? ` (verified: group ${a.group ?? '-'}, key ${a.fingerprint})`
      : a.authenticated === false
        ? ' (not authenticated)'
        : '';
  return `${a.decision} ${a.stepId}${who}${proof} at ${a.at} via ${a.via}${a.comment ? ` — ${a.comment}` : ''}`;
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
  const waiting = progress.waitingForMessage;
  if (waiting) {
    lines.push('');
    lines.push(`### \`${waiting.stepId}\` waits for a message on \`${waiting.channel}\``);
    if (waiting.correlationId) lines.push(`Correlation id: \`${waiting.correlationId}\``);
    lines.push(
      `Since ${waiting.since}${waiting.until ? `, until ${waiting.until} (then its onFailure applies)` : ', with no timeout'}.`,
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
    lines.push(...authenticationLines(pending));
    if (pending.authenticated) {
      lines.push('Approve or reject, signed with your key:');
      lines.push('```');
      lines.push(...signedDecisionCommands(workflowRunId, pending.stepId));
      lines.push('```');
    }
  }
  if (pending && !pending.authenticated) {
    lines.push('Approve or reject (recorded under your login name; `--by NAME` to say otherwise):');
    lines.push('```');
    lines.push(...cliDecisionCommands(workflowRunId, pending.stepId));
    lines.push('```');
    lines.push('Or with the `temporal` CLI (`"compensate": true` also undoes completed steps):');
    lines.push('```');
    lines.push(approveCommand(workflowRunId, pending.stepId, pending.approvalId));
    lines.push(rejectCommand(workflowRunId, pending.stepId, pending.approvalId));
    lines.push('```');
  }
  if (progress.requester || progress.approvals.some((a) => a.authenticated !== undefined)) {
    lines.push('');
    lines.push('### Decisions');
    if (progress.requester) lines.push(`Requested by ${progress.requester}`);
    for (const a of progress.approvals) lines.push(`- ${decisionLine(a)}`);
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
