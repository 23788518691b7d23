// Undoing what a run did, when a person says so: `x-compensation` of every completed step, newest
// first (a 404 counts as already undone), and the two ways an operator ends a run.
import { ApplicationFailure } from '@temporalio/workflow';
import type { PlanStep } from '../arazzo/plan/types.js';
import type { Ending } from './ending.js';
import type { RunState } from './run-state.js';
import type { StepActivities } from './step-activity.js';
import type { AbortArgs } from './types.js';

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
      const result = await this.steps.runCompensation(step);
      if (!result.successful) {
        throw ApplicationFailure.create({
          type: 'CompensationFailed',
          message: `undoing ${stepId} failed: ${result.method} ${result.url} answered ${result.statusCode}`,
          nonRetryable: true,
        });
      }
      this.state.finishStep(stepId, 'compensated', result.statusCode, result.alreadyGone ? 'already undone' : 'undone');
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
