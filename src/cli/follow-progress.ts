// `--wait`: follows a run live through its progress query. One line per step transition; on a
// terminal, a spinner with the state and elapsed time while nothing changes. Stops when the run is
// done or waits for a person (approval or an operator decision).
import { type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import type { ArazzoRunResult, RunProgress, RunState, StepProgress } from '../workflows/types.js';
import { stepLine } from './render-progress.js';

export interface FollowOutcome {
  /** The run's state when following stopped (`failed` also for a run Temporal closed as failed). */
  state: RunState | 'terminated' | 'timed-out';
  progress?: RunProgress;
  result?: ArazzoRunResult;
  /** Why a closed run failed (failure message, no stack). */
  failure?: string;
}

export interface FollowOptions {
  out: (line: string) => void;
  /** Where the spinner goes (a TTY stream), or nothing. */
  spinner?: NodeJS.WriteStream;
  intervalMs?: number;
  /** Say so (once) when nothing has moved for this long: usually no worker polls the task queue. */
  quietWarningMs?: number;
  /** An approval just decided: the run may still report it pending for a moment; that is not a stop. */
  decidedApprovalId?: string;
}

function isWaiting(progress: RunProgress, decidedApprovalId: string | undefined): boolean {
  if (progress.state === 'needs-attention') return progress.attention !== undefined;
  if (progress.state !== 'awaiting-approval') return false;
  const pending = progress.pendingApproval;
  return pending !== undefined && (decidedApprovalId === undefined || pending.approvalId !== decidedApprovalId);
}
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export async function followProgress(handle: WorkflowHandle, options: FollowOptions): Promise<FollowOutcome> {
  const seen = new Map<string, string>();
  const started = Date.now();
  let lastChange = Date.now();
  let warned = false;
  let frame = 0;
  let spinning = false;
  const clearSpinner = () => {
    if (spinning) options.spinner?.write('\r\x1b[2K');
    spinning = false;
  };
  const print = (line: string) => {
    clearSpinner();
    options.out(line);
  };
  const report = (steps: StepProgress[]) => {
    for (const step of steps) {
      const key = `${step.status}/${step.attempts}/${step.httpStatus ?? ''}`;
      if (seen.get(step.stepId) === key || (step.status === 'pending' && !seen.has(step.stepId))) continue;
      seen.set(step.stepId, key);
      lastChange = Date.now();
      print(stepLine(step));
    }
  };

  try {
    for (;;) {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') return await closed(handle, description.status.name, report);
      let progress: RunProgress | undefined;
      try {
        progress = await queryProgress(handle);
      } catch {
        // no worker has picked the run up yet
      }
      if (progress) {
        report(progress.steps);
        if (isWaiting(progress, options.decidedApprovalId)) return { state: progress.state, progress };
      }
      if (!warned && Date.now() - lastChange > (options.quietWarningMs ?? 20_000)) {
        warned = true;
        print(
          `… no progress for ${Math.round((Date.now() - lastChange) / 1000)}s: is a worker polling task queue "${description.taskQueue}"?`,
        );
      }
      if (options.spinner) {
        const elapsed = Math.round((Date.now() - started) / 1000);
        const where = progress
          ? `${progress.state}${progress.currentStep ? ` at ${progress.currentStep}` : ''}`
          : 'starting';
        options.spinner.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${where} (${elapsed}s)`);
        spinning = true;
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 300));
    }
  } finally {
    clearSpinner();
  }
}

async function closed(
  handle: WorkflowHandle,
  status: string,
  report: (steps: StepProgress[]) => void,
): Promise<FollowOutcome> {
  try {
    const result = (await handle.result()) as ArazzoRunResult;
    report(result.steps);
    return { state: result.status, result };
  } catch (err) {
    const failure = err instanceof WorkflowFailedError ? failureText(err) : (err as Error).message;
    try {
      report((await queryProgress(handle)).steps);
    } catch {
      // the final steps are in the failure message anyway
    }
    const state =
      status === 'TERMINATED'
        ? 'terminated'
        : status === 'TIMED_OUT'
          ? 'timed-out'
          : status === 'CANCELED'
            ? 'cancelled'
            : 'failed';
    return { state, failure };
  }
}

function failureText(err: WorkflowFailedError): string {
  // The root cause carries the interpreter's reason (workflow failure → activity failure → application failure).
  let cause = err.cause as (Error & { type?: string; cause?: unknown }) | undefined;
  while (cause?.cause instanceof Error) cause = cause.cause as Error & { type?: string; cause?: unknown };
  const message = cause?.message ?? err.message;
  return cause?.type ? `${cause.type}: ${message}` : message;
}

/** A query waits for a worker to answer; never wait long (no worker yet is normal while starting). */
export function queryProgress(handle: WorkflowHandle, timeoutMs = 5_000): Promise<RunProgress> {
  return handle.client.withDeadline(Date.now() + timeoutMs, () => handle.query<RunProgress>('progress'));
}
