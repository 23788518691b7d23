// `--wait` (of `start`, `approve` and `reject`): follows a run live through its progress query, one
// line per step transition and, on a terminal, a spinner with the state and elapsed time while nothing
// changes. Stops when the run is done or waits for a person (an approval or an operator decision), then
// says how it ended; that ending is the command's exit code.
import { type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import type { ArazzoRunResult, RunProgress, RunState, StepProgress } from '../workflows/types.js';
import { EXIT } from './errors.js';
import { out, printJson } from './output.js';
import { queryProgress } from './progress-query.js';
import { authenticationLines, signedDecisionCommands } from '../workflows/details.js';
import { approveHint, maskOutputs, stepLine } from './render-progress.js';

interface FollowOutcome {
  /** The run's state when following stopped (`failed` also for a run Temporal closed as failed). */
  state: RunState | 'terminated' | 'timed-out';
  progress?: RunProgress;
  result?: ArazzoRunResult;
  /** Why a closed run failed (failure message, no stack). */
  failure?: string;
}

const POLL_MS = 300;
/** Said (once) when nothing has moved for this long: usually no worker polls the task queue. */
const QUIET_WARNING_MS = 20_000;
/** How a run Temporal closed without a result ended (any other close is a failure). */
const CLOSED_STATES: Record<string, FollowOutcome['state']> = {
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CANCELED: 'cancelled',
};
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Follows the run and prints how it ended (as JSON with `json`); returns the exit code.
 * `decidedApprovalId`: an approval just decided, which the run may still report pending for a moment.
 */
export async function followRun(handle: WorkflowHandle, json: boolean, decidedApprovalId?: string): Promise<number> {
  const outcome = await follow(handle, {
    decidedApprovalId,
    print: json ? () => undefined : out,
    spinner: !json && process.stderr.isTTY ? process.stderr : undefined,
  });
  if (json) printJson(jsonOutcome(handle.workflowId, outcome));
  else printOutcome(handle.workflowId, outcome);
  if (outcome.state === 'completed' || outcome.state === 'awaiting-approval') return EXIT.ok;
  if (outcome.state === 'needs-attention') return EXIT.attention;
  return EXIT.failure;
}

interface FollowOptions {
  print: (line: string) => void;
  /** Where the spinner goes (a TTY stream), or nothing. */
  spinner?: NodeJS.WriteStream;
  decidedApprovalId?: string;
}

async function follow(handle: WorkflowHandle, options: FollowOptions): Promise<FollowOutcome> {
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
    options.print(line);
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
      if (!warned && Date.now() - lastChange > QUIET_WARNING_MS) {
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
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    clearSpinner();
  }
}

function isWaiting(progress: RunProgress, decidedApprovalId: string | undefined): boolean {
  if (progress.state === 'needs-attention') return progress.attention !== undefined;
  if (progress.state !== 'awaiting-approval') return false;
  const pending = progress.pendingApproval;
  return pending !== undefined && (decidedApprovalId === undefined || pending.approvalId !== decidedApprovalId);
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
    return { state: CLOSED_STATES[status] ?? 'failed', failure };
  }
}

function failureText(err: WorkflowFailedError): string {
  // The root cause carries the interpreter's reason (workflow failure → activity failure → application failure).
  let cause = err.cause as (Error & { type?: string; cause?: unknown }) | undefined;
  while (cause?.cause instanceof Error) cause = cause.cause as Error & { type?: string; cause?: unknown };
  const message = cause?.message ?? err.message;
  return cause?.type ? `${cause.type}: ${message}` : message;
}

function printOutcome(workflowId: string, outcome: FollowOutcome): void {
  out(`run ${workflowId}: ${outcome.state}`);
  if (outcome.state === 'awaiting-approval' && outcome.progress?.pendingApproval) {
    const p = outcome.progress.pendingApproval;
    out(`approval needed for ${p.stepId}: ${p.method} ${p.url}`);
    for (const line of authenticationLines(p)) out(line);
    const hints = p.authenticated ? signedDecisionCommands(workflowId, p.stepId) : approveHint(workflowId);
    for (const hint of hints) out(hint);
  }
  if (outcome.state === 'needs-attention' && outcome.progress?.attention) {
    const a = outcome.progress.attention;
    out(`needs attention at ${a.stepId}: ${a.reason}`);
    out(`what is known: ${a.known}`);
    for (const option of a.options) out(`- ${option}`);
  }
  if (outcome.failure) out(`why: ${outcome.failure}`);
  if (outcome.result?.message) out(outcome.result.message);
  for (const [k, v] of Object.entries(maskOutputs(outcome.result?.outputs ?? {}))) {
    out(`output ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
}

function jsonOutcome(workflowId: string, o: FollowOutcome) {
  return {
    workflowId,
    state: o.state,
    pendingApproval: o.progress?.pendingApproval,
    attention: o.progress?.attention,
    failure: o.failure,
    message: o.result?.message,
    outputs: o.result ? maskOutputs(o.result.outputs) : undefined,
    steps: o.result?.steps ?? o.progress?.steps,
  };
}
