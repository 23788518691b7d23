// The pieces of a run's progress that several commands print alike (`status`, `start` and `--wait`):
// one line per step, outputs, and the exact commands to give a decision. Values whose names say
// "secret" are masked again here, whatever the workflow already did (the CLI never prints a secret).
import { MASK, maskValue, isSecretName } from '../arazzo/secrets/mask.js';
import { STEP_ICONS as ICONS } from '../workflows/details.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';
import type { StepProgress } from '../workflows/types.js';
import { findTemporalCli } from '../../scripts/temporal-install.mjs';
import { operatorName, shellWord } from './operator.js';

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
    if (isSecretRef(value)) out[name] = `secret reference ${(value as { $secret: string }).$secret}`;
    else out[name] = isSecretName(name) && value !== undefined && !masked ? maskValue(value) : value;
  }
  return out;
}

/**
 * The commands that give the decision a pending approval waits for, ready to paste: the operator's name
 * (ARAZZO_APPROVER, else the login name), never a placeholder.
 */
export function approveHint(workflowRunId: string): string[] {
  const by = shellWord(operatorName());
  return [
    `approve: npx arazzo-temporal approve ${workflowRunId} --by ${by}`,
    `reject:  npx arazzo-temporal reject ${workflowRunId} --by ${by} --reason 'why'   (--compensate also undoes completed steps)`,
  ];
}

/**
 * A `temporal ...` command as the workflow words it (Web UI details), made to work when pasted here:
 * the `temporal` CLI by its absolute path (the project's copy is not on PATH).
 */
export function pasteableTemporalCommand(command: string): string {
  let pasteable = command;
  let cli: string | undefined;
  try {
    cli = findTemporalCli();
  } catch {
    cli = undefined; // TEMPORAL_CLI_PATH names no executable: keep the bare name
  }
  if (cli) pasteable = pasteable.replace(/^temporal /, `${shellWord(cli)} `);
  return pasteable;
}
