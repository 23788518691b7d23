// Undoing what a run did, when a person says so: `x-compensation` of every completed step, newest
// first (a 404 counts as already undone), and the two ways an operator ends a run.
import { ApplicationFailure } from '@temporalio/workflow';
import type { PlanStep } from '../arazzo/plan/types.js';
import { type DeliveredInfo, isSecretRef } from '../arazzo/secrets/refs.js';
import type { StepResult } from '../activities/index.js';
import type { Ending } from './ending.js';
import type { RunState } from './run-state.js';
import type { StepActivities } from './step-activity.js';
import type { AbortArgs } from './types.js';

/** The secrets a step delivered to sinks: the `delivered` of each reference among its outputs. */
function deliveredBy(outputs: Record<string, unknown> | undefined): DeliveredInfo[] {
  return Object.values(outputs ?? {}).flatMap((v) => (isSecretRef(v) && v.delivered ? [v.delivered] : []));
}

/** What became of them, for the step's progress line (names only: a sink name is not a secret). */
function withdrawnNote(result: StepResult): string {
  if (!result.withdrawn?.length) return '';
  return `; delivered secret ${result.withdrawn.map((w) => `${w.name} ${w.outcome === 'kept' ? 'kept (it holds another value now)' : w.outcome === 'failed' ? 'could not be removed' : 'removed'}`).join(', ')}`;
}

export class Compensation {
  constructor(
    private readonly state: RunState,
    private readonly steps: StepActivities,
    /** A step of the run's own workflow by id. */
    private readonly findStep: (stepId: string) => PlanStep | undefined,
  ) {}

  /** Completed steps that declare how to undo them. */
  undoable(): string[] {
    return this.state.record.completedSteps.filter((id) => this.findStep(id)?.compensation);
  }

  /** Undoes completed steps that declare `x-compensation`, newest first; stops at the first that fails. */
  async compensate(): Promise<void> {
    for (const stepId of [...this.state.record.completedSteps].reverse()) {
      const step = this.findStep(stepId);
      if (!step?.compensation) continue;
      const result = await this.steps.runCompensation(step, deliveredBy(this.state.record.stepOutputs[stepId]));
      if (!result.successful) {
        throw ApplicationFailure.create({
          type: 'CompensationFailed',
          message: `undoing ${stepId} failed: ${result.method} ${result.url} answered ${result.statusCode}`,
          nonRetryable: true,
        });
      }
      const undone = result.alreadyGone ? 'already undone' : 'undone';
      this.state.finishStep(stepId, 'compensated', result.statusCode, `${undone}${withdrawnNote(result)}`);
    }
  }

  /** An operator's abort: undo and end as `compensated`, or fail the run as `Aborted`. */
  async abort(args: AbortArgs): Promise<Ending> {
    if (args.compensate) {
      await this.compensate();
      return { kind: 'compensated', message: `aborted by ${args.by} (${args.reason}); completed steps undone` };
    }
    throw ApplicationFailure.create({
      type: 'Aborted',
      message: `aborted by ${args.by}: ${args.reason}`,
      nonRetryable: true,
      details: [
        {
          steps: this.state.progress.steps,
          outputs: this.state.maskedOutputsOf(this.state.record.completedSteps),
        },
      ],
    });
  }
}
