// `schedule`: a Temporal Schedule that starts the same rotation periodically. Overlap policy SKIP: a
// rotation still running when the next is due is not doubled (and the interpreter's per-credential
// lock still serializes a scheduled run against a manual one).
import { randomUUID } from 'node:crypto';
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { CliError, UsageError } from './errors.js';
import type { PreparedRun } from './prepare-run.js';

export interface ScheduleRequest {
  scheduleId?: string;
  /** Interval: `30d`, `12h`, `90m`, `1w`. */
  every: string;
  prepared: PreparedRun;
  taskQueue: string;
  note?: string;
  paused?: boolean;
}

export interface ScheduleRow {
  scheduleId: string;
  every: string;
  paused: boolean;
  note?: string;
  document?: string;
  workflowId?: string;
  nextRun?: string;
  lastRun?: string;
}

const INTERVAL = /^\d+(ms|s|m|h|d|w)$/;
const MEMO_DOCUMENT = 'arazzoDocument';
const MEMO_WORKFLOW = 'arazzoWorkflowId';

export async function createSchedule(client: Client, request: ScheduleRequest): Promise<string> {
  if (!INTERVAL.test(request.every)) {
    throw new UsageError(`--every ${request.every}: not an interval`, 'write a number and a unit: 30d, 12h, 90m, 1w');
  }
  const scheduleId = request.scheduleId ?? `arazzo-${request.prepared.workflowId}-${randomUUID().slice(0, 8)}`;
  const { input, summary, details } = request.prepared;
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: request.every as `${number}d` }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'arazzoRun',
        workflowId: scheduleId,
        taskQueue: request.taskQueue,
        args: [input],
        staticSummary: summary,
        staticDetails: details,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      memo: { [MEMO_DOCUMENT]: input.document, [MEMO_WORKFLOW]: input.workflowId },
      state: { paused: request.paused ?? false, note: request.note ?? `every ${request.every}: ${summary}` },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) {
      throw new CliError(
        `schedule ${scheduleId} already exists`,
        `delete it first: arazzo-temporal schedule delete ${scheduleId}`,
      );
    }
    throw err;
  }
  return scheduleId;
}

export async function listSchedules(client: Client): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const s of client.schedule.list()) {
    if (s.action?.type !== 'startWorkflow' || s.action.workflowType !== 'arazzoRun') continue;
    const interval = s.spec?.intervals?.[0];
    rows.push({
      scheduleId: s.scheduleId,
      every: interval ? formatMs(Number(interval.every)) : 'calendar',
      paused: s.state.paused,
      note: s.state.note,
      document: s.memo?.[MEMO_DOCUMENT] as string | undefined,
      workflowId: s.memo?.[MEMO_WORKFLOW] as string | undefined,
      nextRun: s.info.nextActionTimes[0]?.toISOString(),
      lastRun: s.info.recentActions.at(-1)?.takenAt.toISOString(),
    });
  }
  return rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export async function pauseSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  await onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).pause(note));
}

export async function unpauseSchedule(client: Client, scheduleId: string, note?: string): Promise<void> {
  await onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).unpause(note));
}

export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  await onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).delete());
}

/** Starts one run now (the overlap policy still applies). */
export async function triggerSchedule(client: Client, scheduleId: string): Promise<void> {
  await onSchedule(scheduleId, () => client.schedule.getHandle(scheduleId).trigger());
}

async function onSchedule(scheduleId: string, act: () => Promise<void>): Promise<void> {
  try {
    await act();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError || /not ?found/i.test((err as Error).message)) {
      throw new CliError(`no schedule with id ${scheduleId}`, 'list them with: arazzo-temporal schedule list');
    }
    throw err;
  }
}

function formatMs(ms: number): string {
  const units: Array<[string, number]> = [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
