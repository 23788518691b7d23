// `--wait` (of `start`, `approve` and `reject`): follows a run live through its progress query, one
// line per step transition and, on a terminal, a spinner with the state and elapsed time while nothing
// changes. Stops when the run is done or waits for a person (an approval or an operator decision), then
// says how it ended; that ending is the command's exit code.
import { type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import type { ArazzoRunResult, RunProgress, RunState, StepProgress } from '../workflows/types.js';
import { seconds } from './duration.js';
import { EXIT } from './errors.js';
import { out, printJson } from './output.js';
import { queryProgress } from './progress-query.js';
import { authenticationLines, signedDecisionCommands } from '../workflows/details.js';
import { approveHint, maskOutputs, stepLine } from './render-progress.js';
import { colourOf, paint, styled } from './style.js';
import { noWorkerText, startWorkerHint, workerPresence } from './worker-presence.js';

interface FollowOutcome {
  /**
   * The run's state when following stopped (`failed` also for a run Temporal closed as failed);
   * `still-running` when --timeout passed first.
   */
  state: RunState | 'terminated' | 'timed-out' | 'still-running';
  progress?: RunProgress;
  result?: ArazzoRunResult;
  /** Why a closed run failed (failure message, no stack). */
  failure?: string;
  /** With `still-running`: how long it waited (ms). */
  waited?: number;
}

const POLL_MS = 300;
/** How often, while nothing moves, it looks whether a worker polls the run's task queue. */
const PRESENCE_CHECK_MS = 5_000;
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
export async function followRun(
  handle: WorkflowHandle,
  json: boolean,
  decidedApprovalId?: string,
  limits: FollowLimits = {},
): Promise<number> {
  const began = Date.now();
  const outcome = await follow(handle, {
    decidedApprovalId,
    timeoutMs: limits.timeoutMs,
    print: json ? () => undefined : out,
    spinner: !json && process.stderr.isTTY ? process.stderr : undefined,
  });
  if (json) printJson(jsonOutcome(handle.workflowId, outcome));
  else {
    printOutcome(handle.workflowId, outcome);
    if (styled()) out(summaryLine(handle.workflowId, outcome, Date.now() - began));
  }
  const accepted: string[] = ['completed', 'awaiting-approval', ...(limits.accept ?? [])];
  if (accepted.includes(outcome.state)) return EXIT.ok;
  if (outcome.state === 'needs-attention') return EXIT.attention;
  if (outcome.state === 'still-running') return EXIT.timeout;
  return EXIT.failure;
}

export interface FollowLimits {
  /** `--timeout`: stop following after this long (the run goes on); exit code 4. */
  timeoutMs?: number;
  /** Final states that are what the command asked for (`reject --wait`: rejected, compensated). */
  accept?: RunState[];
}

interface FollowOptions {
  print: (line: string) => void;
  /** Where the spinner goes (a TTY stream), or nothing. */
  spinner?: NodeJS.WriteStream;
  decidedApprovalId?: string;
  timeoutMs?: number;
}

async function follow(handle: WorkflowHandle, options: FollowOptions): Promise<FollowOutcome> {
  const seen = new Map<string, string>();
  const started = Date.now();
  let lastPresenceCheck = 0;
  let workerMissing = false;
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
      print(paint(colourOf(step.status), stepLine(step)));
    }
  };

  try {
    for (;;) {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') return await closed(handle, description.status.name, report);
      if (Date.now() - lastPresenceCheck >= PRESENCE_CHECK_MS) {
        // Say plainly when no worker polls the run's task queue (once, and again when one comes); while
        // none does, a query would only wait for its deadline.
        lastPresenceCheck = Date.now();
        const presence = await workerPresence(handle.client, handle.client.options.namespace, description.taskQueue);
        if (presence.workers === 0 && !workerMissing) {
          print(`… ${noWorkerText(presence)}: the run waits for one; ${startWorkerHint(presence)}`);
        } else if (presence.workers > 0 && workerMissing) {
          print(`… a worker polls task queue "${presence.taskQueue}" now`);
        }
        workerMissing = presence.workers === 0;
      }
      let progress: RunProgress | undefined;
      if (!workerMissing) {
        const left = options.timeoutMs === undefined ? undefined : options.timeoutMs - (Date.now() - started);
        try {
          progress = await queryProgress(handle, Math.max(1, Math.min(5_000, left ?? 5_000)));
        } catch {
          // no worker has picked the run up yet
        }
      }
      if (progress) {
        report(progress.steps);
        if (isWaiting(progress, options.decidedApprovalId)) return { state: progress.state, progress };
      }
      if (options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs) {
        return { state: 'still-running', progress, waited: Date.now() - started };
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

/** On a terminal: `── run x: completed in 12.3 s · 5 steps: 5 succeeded`, in the state's colour. */
function summaryLine(workflowId: string, outcome: FollowOutcome, ms: number): string {
  const steps = outcome.result?.steps ?? outcome.progress?.steps ?? [];
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const text = `── run ${workflowId}: ${outcome.state} after ${seconds(ms)}${steps.length ? ` · ${steps.length} steps: ${tally}` : ''}`;
  return paint('bold', paint(colourOf(outcome.state), text));
}

function printOutcome(workflowId: string, outcome: FollowOutcome): void {
  if (outcome.state === 'still-running') {
    const where = outcome.progress
      ? `${outcome.progress.state}${outcome.progress.currentStep ? ` at ${outcome.progress.currentStep}` : ''}`
      : 'not picked up by a worker';
    out(
      `run ${workflowId}: still running (${where}); stopped waiting after ${seconds(outcome.waited ?? 0)} (--timeout)`,
    );
    out(`see it later with: npx arazzo-temporal status ${workflowId}`);
    return;
  }
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
    waitedMs: o.waited,
    pendingApproval: o.progress?.pendingApproval,
    attention: o.progress?.attention,
    failure: o.failure,
    message: o.result?.message,
    outputs: o.result ? maskOutputs(o.result.outputs) : undefined,
    steps: o.result?.steps ?? o.progress?.steps,
  };
}
