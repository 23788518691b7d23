// The one reader of a run's own history, for activities. Two things are recorded there once and read
// back instead of being copied into every activity input:
//   - the start event's input: plain-text inputs (a token given plainly is recorded only there) and,
//     for nested and continued runs, the plan and the parent execution;
//   - the load activity's result: the plan an entry run executes (an activity task's result, or for runs
//     since the patch `planLoadedLocally` the local activity's marker).
// A run's start event and load result never change, so what was read is kept per execution
// (workflowId + runId) for a few minutes, at most a few hundred executions: a rotation's five steps
// cost one history read, not five. The values include plain secrets, hence the short lifetime; a run
// waiting days for approval reads again.
import { activityInfo, getClient } from '@temporalio/activity';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { Signed, StartStatement } from '../arazzo/approvals/signature.js';
import type { Plan } from '../arazzo/plan/types.js';
import type { ApprovalOptions } from '../workflows/types.js';

export interface Execution {
  workflowId: string;
  runId?: string;
}

/** What a run's history says about it (only what activities read back). */
export interface RecordedRun {
  /** The run input as the start event recorded it (only the parts activities read). */
  input?: {
    inputs?: Record<string, unknown>;
    plan?: Plan;
    /** Internal fields only nested and continued runs may carry (see `broughtOwnInternals`). */
    resume?: unknown;
    approvalSettings?: unknown;
    /** The run's approval options and signed start (the load activity checks them against the policy). */
    approval?: ApprovalOptions;
    requester?: Signed<StartStatement>;
  };
  /** The parent execution of a nested run. */
  parent?: Execution;
  /** Started by continue-as-new (the server says so; a client cannot). */
  continued?: boolean;
  /** The plans recorded: the start input's (nested or continued runs) and the load activity's result. */
  plans: Plan[];
}

/** What was read per execution, for `keepMs` at most and `max` executions; failed reads are not kept. */
export class PerRunMemo<T> {
  private readonly kept = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly read: (execution: Execution) => Promise<T>,
    private readonly options: { keepMs: number; max: number; now?: () => number },
  ) {}

  get(execution: Execution): Promise<T> {
    if (!execution.runId) return this.read(execution); // "the latest run" may change: never kept
    const key = memoKey(execution);
    const now = (this.options.now ?? Date.now)();
    const hit = this.kept.get(key);
    if (hit && now - hit.at < this.options.keepMs) return hit.value;
    for (const [k, entry] of this.kept) if (now - entry.at >= this.options.keepMs) this.kept.delete(k);
    while (this.kept.size >= this.options.max) this.kept.delete(this.kept.keys().next().value as string);
    const value = this.read(execution);
    this.kept.set(key, { at: now, value });
    value.catch(() => {
      if (this.kept.get(key)?.value === value) this.kept.delete(key);
    });
    return value;
  }

  /** Forgets what was read for `execution` (it was read before the history had what is wanted now). */
  forget(execution: Execution) {
    this.kept.delete(memoKey(execution));
  }
}

function memoKey(execution: Execution): string {
  return `${execution.workflowId}\n${execution.runId}`;
}

const recorded = new PerRunMemo(readRecordedRun, { keepMs: 5 * 60_000, max: 256 });

/** The current activity's run as its history records it. */
export async function recordedRun(execution: Execution = currentExecution()): Promise<RecordedRun> {
  return recorded.get(execution);
}

/**
 * The plans recorded for the current activity's run. A read made before the load activity completed
 * (the load activity itself reads the run's inputs) has none; it is read again once.
 */
export async function recordedPlans(execution: Execution = currentExecution()): Promise<Plan[]> {
  const run = await recorded.get(execution);
  if (run.plans.length) return run.plans;
  recorded.forget(execution);
  return (await recorded.get(execution)).plans;
}

export function currentExecution(): Execution {
  const execution = activityInfo().workflowExecution;
  if (!execution) throw new Error('not running in a workflow activity');
  return { workflowId: execution.workflowId, runId: execution.runId };
}

/**
 * Reads the history from its start up to the first recorded plan (the start input's, or the load
 * activity's result), in small pages: both come within a run's first events.
 */
async function readRecordedRun(execution: Execution): Promise<RecordedRun> {
  const client = getClient();
  const converter = client.options.loadedDataConverter;
  const run: RecordedRun = { plans: [] };
  const loadPlanEvents = new Set<string>();
  let started = false;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution,
      maximumPageSize: 50,
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      const start = event.workflowExecutionStartedEventAttributes;
      if (start) {
        started = true;
        run.input = await decodeFromPayloadsAtIndex<RecordedRun['input']>(converter, 0, start.input?.payloads);
        if (run.input?.plan) run.plans.push(run.input.plan);
        run.continued = Boolean(start.continuedExecutionRunId);
        const parent = start.parentWorkflowExecution;
        if (parent?.workflowId) run.parent = { workflowId: parent.workflowId, runId: parent.runId ?? undefined };
      }
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'loadPlan') loadPlanEvents.add(String(event.eventId));
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && loadPlanEvents.has(String(completed.scheduledEventId))) {
        const result = await decodeFromPayloadsAtIndex<{ plan?: Plan }>(converter, 0, completed.result?.payloads);
        if (result?.plan) run.plans.push(result.plan);
      }
      const marker = event.markerRecordedEventAttributes;
      if (marker && isLocalLoadPlanMarker(marker)) {
        const payloads = marker.details?.result?.payloads;
        const result = await decodeFromPayloadsAtIndex<{ plan?: Plan }>(converter, 0, payloads);
        if (result?.plan) run.plans.push(result.plan);
      }
      if (run.plans.length) return run;
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  if (!started) throw new Error(`no start event for ${execution.workflowId}`);
  return run;
}

/** The SDK's marker for a local activity's result, here the load activity's (its data names the type). */
function isLocalLoadPlanMarker(marker: {
  markerName?: string | null;
  details?: Record<string, { payloads?: { data?: Uint8Array | null }[] | null }> | null;
}): boolean {
  if (marker.markerName !== 'core_local_activity') return false;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return false;
  try {
    // Written by the SDK's core, not our data converter: plain JSON, never encrypted.
    return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type === 'loadPlan';
  } catch {
    return false;
  }
}

/**
 * Whether the current run's chain (itself, then its parents) begins with a run that was started with a
 * plan, a carried record or approval settings in its input although no parent started it and it did
 * not continue a run: those fields skip the load activity and the worker's approval policy with it.
 */
export async function broughtOwnInternals(execution: Execution = currentExecution()): Promise<boolean> {
  let current: Execution | undefined = execution;
  for (let depth = 0; current && depth < 16; depth++) {
    const run = await recorded.get(current);
    if (!run.parent) {
      const input = run.input;
      return !run.continued && Boolean(input?.plan || input?.resume || input?.approvalSettings);
    }
    current = run.parent;
  }
  return true; // deeper than any nesting the interpreter makes
}
