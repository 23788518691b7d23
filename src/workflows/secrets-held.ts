// Where the new secrets are. A rotation exists to produce a new credential: revoking the old one while
// the new one's secret is held by nobody leaves no usable credential at all. So before a destructive
// step is offered for approval, every secret output of a completed step must be held somewhere an
// operator can reach: delivered to a sink, kept in the run's encrypted history, or given as a
// reference by the operator. The approval prompt says where each one is.
import type { PlanStep } from '../arazzo/plan/types.js';
import { describeRef, isSecretRef } from '../arazzo/secrets/refs.js';
import { isSecretName, maskValue } from '../arazzo/secrets/mask.js';

export interface SecretHolding {
  stepId: string;
  output: string;
  /** Where the value is; undefined when nobody holds it. */
  where?: string;
}

/** The outputs of `step` that hold secrets: credential-named, known secret, or delivered to a sink. */
export function secretOutputsOf(
  step: PlanStep,
  deliver: Record<string, string> | undefined,
  secretNames: ReadonlySet<string>,
): string[] {
  return Object.keys(step.outputs).filter(
    (name) =>
      isSecretName(name) ||
      secretNames.has(name) ||
      deliver?.[name] !== undefined ||
      deliver?.[`${step.stepId}.${name}`] !== undefined,
  );
}

/** Where a secret output's value is, or undefined when it is absent. */
export function whereHeld(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (isSecretRef(value)) return value.delivered ? describeRef(value) : `given as ${describeRef(value)}`;
  return `kept in this run's encrypted history (${maskValue(value)})`;
}

/** Every secret output of the completed steps, in completion order, with where it is held. */
export function secretHoldings(
  completed: readonly PlanStep[],
  stepOutputs: Record<string, Record<string, unknown>>,
  deliver: Record<string, string> | undefined,
  secretNames: ReadonlySet<string>,
): SecretHolding[] {
  return completed.flatMap((step) =>
    secretOutputsOf(step, deliver, secretNames).map((output) => ({
      stepId: step.stepId,
      output,
      where: whereHeld(stepOutputs[step.stepId]?.[output]),
    })),
  );
}

/** The approval prompt's lines: `step.output → where`. */
export function describeHoldings(holdings: readonly SecretHolding[]): string[] {
  return holdings.map((h) => `${h.stepId}.${h.output} → ${h.where ?? 'held by nobody'}`);
}

/** Outputs the operator must supply (or explicitly give up) for `step`: its secret outputs missing from `outputs`. */
export function missingSecretOutputs(
  step: PlanStep,
  outputs: Record<string, unknown>,
  deliver: Record<string, string> | undefined,
  secretNames: ReadonlySet<string>,
): string[] {
  return secretOutputsOf(step, deliver, secretNames).filter((name) => whereHeld(outputs[name]) === undefined);
}
