// What an operator is told when a run needs attention: what is known to exist, and what they can do.
// Pure text from the step, its result and the completed steps that can be undone.
import type { PlanStep } from '../arazzo/plan/types.js';
import { maskValue } from '../arazzo/secrets/mask.js';
import { describeRef, isSecretRef } from '../arazzo/secrets/refs.js';
import type { StepResult } from '../activities/index.js';

/** The choices after a request whose fate is unknown (the worker died, the connection reset). */
export const UNKNOWN_OUTCOME_OPTIONS = [
  'retryStep to send the request again (a DELETE that finds nothing counts as done)',
  'supplyOutputs with the outputs the step produced (secrets as {"$secret": ...} references)',
  'abort (with "compensate": true to undo completed steps)',
];

/**
 * After a failed step: what the server created anyway (a create it accepted although the step
 * failed, with its one-time secrets shown only masked or as where they were delivered), which
 * completed steps can be undone, and the choices that follow.
 */
export function whatExists(
  step: PlanStep,
  result: StepResult | undefined,
  undoable: string[],
  undoableOutputs: Record<string, unknown>,
): { known: string[]; options: string[] } {
  const known: string[] = [];
  const options: string[] = [];
  const created = result?.created;
  const createdIds = created ? Object.entries(created.ids) : [];
  if (created && createdIds.length) {
    const ids = createdIds.map(([pointer, id]) => `${id} (response ${pointer})`).join(', ');
    known.push(`the server accepted ${step.stepId} (HTTP ${result?.statusCode}) and created ${ids}`);
    for (const [pointer, secret] of Object.entries(created.secrets)) {
      known.push(
        isSecretRef(secret)
          ? `its one-time secret at ${pointer}: ${describeRef(secret)}`
          : `its one-time secret at ${pointer} is kept in this run's encrypted history (${maskValue(secret)})`,
      );
    }
    if (step.compensation) {
      options.push(`abort with {"compensate": true} to delete it (x-compensation of ${step.stepId})`);
    } else {
      const list = createdIds.map(([, id]) => id).join(', ');
      options.push(
        `no x-compensation is declared for ${step.stepId}: delete ${list} at the provider, then abort with {"compensate": false}`,
      );
    }
  }
  if (undoable.length) {
    known.push(
      `completed steps that can be undone: ${undoable.join(', ')} (outputs: ${JSON.stringify(undoableOutputs)})`,
    );
    options.push('abort with {"compensate": true} to undo them, or {"compensate": false} to leave them');
  }
  if (!created) options.push('retryStep to send the step again');
  return { known, options };
}
