// Before a destructive step, the run checks that it still holds its lock. The lock refuses cancellation
// (lock.ts), but a terminate cannot be refused: then another run may already hold the lock and be
// rotating the same credential. Sending the DELETE then could revoke what the other run relies on, so
// the run parks in needs-attention instead: `retryStep` takes the lock again (waiting for whoever holds
// it) and goes on; `abort` ends the run (with compensation if asked). Runs recorded before the patch
// went on without looking.
import type { PlanStep } from '../arazzo/plan/types.js';
import type { Compensation } from './compensation.js';
import type { Decisions } from './decisions.js';
import type { Ending } from './ending.js';
import type { RunLock } from './lock.js';
import { isPatched } from './patches.js';

/** Undefined: the lock still guards the run and the step may be sent. Otherwise how the run ends. */
export async function guardBeforeDestructive(
  step: PlanStep,
  lock: RunLock,
  decisions: Decisions,
  compensation: Compensation,
): Promise<Ending | undefined> {
  for (;;) {
    const lost = lock.lost();
    const key = lock.key;
    if (!lost || !key || !isPatched('lockLossParks')) return undefined;
    const choice = await decisions.awaitOperator({
      stepId: step.stepId,
      reason: `the lock ${key} was ${lost} from outside before ${step.stepId}: another run may be rotating this credential, so ${step.stepId} was not sent`,
      known: `${step.stepId} was not sent`,
      options: [
        `retryStep: take the lock ${key} again (waits while another run holds it), then send ${step.stepId}`,
        'abort: end the run (compensate: true undoes what it created)',
      ],
      choices: ['retryStep', 'abort'],
    });
    if (choice.kind === 'abort') return compensation.abort(choice.args);
    await lock.retake();
  }
}
