// The run's tunables with their defaults, read once from the run input. A bad duration fails the run
// with a clear, non-retryable error instead of failing workflow tasks forever.
import { msToNumber } from '@temporalio/common/lib/time.js';
import { ApplicationFailure } from '@temporalio/workflow';
import { DEFAULT_STEP_BUDGET } from '../arazzo/flow/index.js';
import type { ArazzoRunInput } from './types.js';

export interface RunOptions {
  /** Per-step HTTP timeout; the activity gets 5 s more to report. */
  stepTimeoutMs: number;
  /** How long a pending approval waits (Temporal duration text, as the timer's summary shows it). */
  approvalTimeout: string;
  approvalTimeoutMs: number;
  stepBudget: number;
  /** Continue as new once history has this many events (or when the server suggests it). */
  continueAsNewAfterEvents: number;
}

export function runOptions(input: ArazzoRunInput): RunOptions {
  const approvalTimeout = input.approval?.timeout ?? '7d';
  return {
    stepTimeoutMs: durationMs(input.stepTimeout ?? '30s'),
    approvalTimeout,
    approvalTimeoutMs: durationMs(approvalTimeout),
    stepBudget: input.stepBudget ?? DEFAULT_STEP_BUDGET,
    continueAsNewAfterEvents: input.continueAsNewAfterEvents ?? 10_000,
  };
}

/** Temporal durations ('30s', '2m', '7d', '1.5s', or milliseconds as a number). */
export function durationMs(value: string | number): number {
  try {
    return msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    throw ApplicationFailure.create({
      type: 'InvalidInputs',
      message: `not a duration: "${value}"`,
      nonRetryable: true,
    });
  }
}
