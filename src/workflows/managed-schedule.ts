// When a managed credential's rotations are due: every fixed duration counted from when it was managed (or
// from the last completed rotation), or at the times of a cron expression (cron.ts). Pure: the workflow asks
// it for its next due time. A bad schedule fails the managed credential at its start, before any rotation.
import { ApplicationFailure } from '@temporalio/workflow';
import { nextCronTime, parseCron } from './cron.js';
import type { ManagedCredentialInput } from './managed-contract.js';
import { durationMs } from './run-options.js';

/** When rotations are due: every fixed duration, or at the times of a cron expression (cron.ts). */
export interface Schedule {
  describe: string;
  /** The next due time after `fromMs`. */
  next(fromMs: number): number;
  /** The longest back-off: the period, or a day for a calendar schedule. */
  periodMs: number;
}

export function scheduleOf(input: ManagedCredentialInput): Schedule {
  const refuse = (message: string): never => {
    throw ApplicationFailure.create({ type: 'InvalidInputs', message, nonRetryable: true });
  };
  if ((input.every === undefined) === (input.cron === undefined)) {
    return refuse('give exactly one of every (a duration, e.g. "30d") and cron (e.g. "0 3 1 * *")');
  }
  if (input.every !== undefined) {
    const everyMs = durationMs(input.every);
    if (everyMs <= 0) refuse(`every must be longer than zero, not "${input.every}"`);
    return { describe: `every ${input.every}`, next: (from) => from + everyMs, periodMs: everyMs };
  }
  const spec = parseCron(input.cron!);
  if ('error' in spec) return refuse(`cron: ${spec.error}`);
  if (nextCronTime(spec, Date.now()) === undefined) refuse(`cron "${input.cron}" never matches`);
  return {
    describe: `cron ${input.cron} (UTC)`,
    next: (from) => nextCronTime(spec, from) ?? from + durationMs('1d'),
    periodMs: durationMs('1d'),
  };
}
