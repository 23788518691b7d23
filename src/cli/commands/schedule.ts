// `schedule`: a Temporal Schedule that starts the same rotation periodically. Overlap policy SKIP: a
// rotation still running when the next is due is not doubled (and the interpreter's per-credential
// lock still serializes a scheduled run against a manual one).
import { randomUUID } from 'node:crypto';
import type { Client, ScheduleHandle } from '@temporalio/client';
import { Command } from 'commander';
import { withClient } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { out, printJson, warn } from '../output.js';
import type { PreparedRun } from '../prepare-run.js';
import { addRunFlags, type RunFlags } from '../run-flags.js';
import { scheduleLink, webUiBase } from '../web-ui.js';

interface CreateFlags extends RunFlags {
  /** Interval: `30d`, `12h`, `90m`, `1w`. */
  every: string;
  note?: string;
  paused: boolean;
  uiUrl?: string;
  json: boolean;
}

interface ScheduleRow {
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
/** What `schedule list` shows of each schedule's run, kept in the schedule's memo. */
const MEMO_DOCUMENT = 'arazzoDocument';
const MEMO_WORKFLOW = 'arazzoWorkflowId';

export function scheduleCommand(): Command {
  const schedule = new Command('schedule')
    .description(
      'start the same run periodically with a Temporal Schedule (overlapping runs are skipped); to rotate a credential, use manage',
    )
    .addHelpText(
      'after',
      '\nExample: arazzo-temporal schedule rotations/x.arazzo.yaml --every 30d --input @inputs.json',
    );
  schedule.addCommand(createCommand(), { isDefault: true });
  schedule.addCommand(listCommand());
  for (const call of HANDLE_CALLS) schedule.addCommand(handleCommand(call));
  return schedule;
}

function createCommand(): Command {
  const command = new Command('create')
    .description('create a schedule (the default: `schedule <document> --every 30d ...`)')
    // Both checked in the action: `schedule` alone lists the subcommands instead of asking for --every.
    .argument('[document]', "Arazzo document, below the worker's document root")
    .option('--every <interval>', 'how often: 30d, 12h, 1w (required)');
  return addRunFlags(command, {
    input: 'name=value, @file.json or a JSON object (repeatable); secrets as references',
    server: 'base URL for a source description, host:port for an AsyncAPI one (repeatable)',
    approveSteps: 'more steps that wait for approval (comma list)',
    id: ['--id <schedule-id>', 'schedule id (default: arazzo-<workflowId>-<random>)'],
  })
    .option('--note <text>', 'a note shown with the schedule')
    .option('--paused', 'create it paused', false)
    .option('--ui-url <url>', 'Web UI base URL for the link')
    .option('--json', 'machine-readable output', false)
    .action(async (document: string | undefined, o: CreateFlags, command: Command) => {
      if (document === undefined) return command.parent!.help();
      if (o.every === undefined) {
        throw new UsageError(
          "required option '--every <interval>' not specified",
          'e.g. --every 30d (add --help for usage)',
        );
      }
      // Loaded on use, like every command's heavy dependencies (see program.ts).
      const { prepareRun } = await import('../prepare-run.js');
      const prepared = await prepareRun(document, o, 'the schedule');
      if (prepared.declaresManaged) {
        warn(
          `warning: ${prepared.workflowId} declares x-managed: each run revokes what it was given, and a Schedule gives every run the same inputs, so the second run would fail. Use: arazzo-temporal manage ${document} --every ${o.every} ...`,
        );
      }
      await withClient(command, async ({ client, address, namespace }) => {
        const scheduleId = await createSchedule(client, prepared, o);
        const link = scheduleLink(webUiBase(address, o.uiUrl), namespace, scheduleId);
        if (o.json) return printJson({ scheduleId, every: o.every, webUi: link });
        out(`scheduled ${scheduleId}: every ${o.every}, ${prepared.summary}`);
        out(`  overlap     skip (a run still going when the next is due is not doubled)`);
        out(`  Web UI      ${link}`);
        out(`  pause       npx arazzo-temporal schedule pause ${scheduleId}`);
      });
    });
}

async function createSchedule(client: Client, prepared: PreparedRun, o: CreateFlags): Promise<string> {
  if (!INTERVAL.test(o.every)) {
    throw new UsageError(`--every ${o.every}: not an interval`, 'write a number and a unit: 30d, 12h, 90m, 1w');
  }
  const { ScheduleAlreadyRunning, ScheduleOverlapPolicy } = await import('@temporalio/client');
  const { WORKFLOW_TYPE } = await import('../../workflows/contract.js');
  const scheduleId = o.id ?? `arazzo-${prepared.workflowId}-${randomUUID().slice(0, 8)}`;
  const { input, summary, details } = prepared;
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: o.every as `${number}d` }] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPE,
        workflowId: scheduleId,
        taskQueue: o.taskQueue,
        args: [input],
        staticSummary: summary,
        staticDetails: details,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      memo: { [MEMO_DOCUMENT]: input.document, [MEMO_WORKFLOW]: input.workflowId },
      state: { paused: o.paused, note: o.note ?? `every ${o.every}: ${summary}` },
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

function listCommand(): Command {
  return new Command('list')
    .description('the schedules that start Arazzo runs')
    .option('--json', 'machine-readable output', false)
    .action(async (o: { json: boolean }, command: Command) => {
      await withClient(command, async ({ client }) => {
        const rows = await listSchedules(client);
        if (o.json) return printJson(rows);
        if (!rows.length) return out('no Arazzo schedules');
        for (const r of rows) {
          out(
            `${r.scheduleId}  every ${r.every}${r.paused ? '  PAUSED' : ''}  ${r.document ?? '?'} ${r.workflowId ?? ''}  next ${r.nextRun ?? '-'}${r.note ? `  (${r.note})` : ''}`,
          );
        }
      });
    });
}

async function listSchedules(client: Client): Promise<ScheduleRow[]> {
  const { WORKFLOW_TYPE } = await import('../../workflows/contract.js');
  const rows: ScheduleRow[] = [];
  for await (const s of client.schedule.list()) {
    if (s.action?.type !== 'startWorkflow' || s.action.workflowType !== WORKFLOW_TYPE) continue;
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

/** The subcommands that make one call on a schedule's handle; pause and unpause record a note. */
interface HandleCall {
  name: string;
  description: string;
  /** Printed with the id when it is done. */
  done: string;
  note?: boolean;
  /** The call; a string it answers is printed after `done <id>` (trigger: the run it started). */
  act: (handle: ScheduleHandle, note?: string) => Promise<unknown>;
}

/**
 * Triggers one run and says which: Temporal's trigger call does not answer with the run it starts, so
 * the schedule's recent actions are read before and after (a few seconds at most).
 */
async function triggerAndFind(handle: ScheduleHandle): Promise<string> {
  const startedIds = async () =>
    new Set((await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
  const before = await startedIds();
  await handle.trigger();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const started = [...(await startedIds())].find((id) => !before.has(id));
    if (started) return `: started ${started} (follow it with: arazzo-temporal status ${started})`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ': the run it started is not listed yet (see: arazzo-temporal schedule list)';
}

const HANDLE_CALLS: HandleCall[] = [
  {
    name: 'pause',
    description: 'pause a schedule (no runs start until unpaused)',
    done: 'paused',
    note: true,
    act: (h, note) => h.pause(note),
  },
  {
    name: 'unpause',
    description: 'resume a paused schedule',
    done: 'unpaused',
    note: true,
    act: (h, note) => h.unpause(note),
  },
  { name: 'trigger', description: 'start one run now; prints its workflow id', done: 'triggered', act: triggerAndFind },
  {
    name: 'delete',
    description: 'delete a schedule (runs already started go on)',
    done: 'deleted',
    act: (h) => h.delete(),
  },
];

function handleCommand(call: HandleCall): Command {
  const command = new Command(call.name).description(call.description).argument('<schedule-id>', 'the schedule');
  if (call.note) command.option('--note <text>', 'why (shown with the schedule)');
  return command.action(async (id: string, o: { note?: string }, self: Command) => {
    const { ScheduleNotFoundError } = await import('@temporalio/client');
    await withClient(self, async ({ client }) => {
      let more = '';
      try {
        const answer = await call.act(client.schedule.getHandle(id), o.note);
        if (typeof answer === 'string') more = answer;
      } catch (err) {
        if (err instanceof ScheduleNotFoundError || /not ?found/i.test((err as Error).message)) {
          throw new CliError(`no schedule with id ${id}`, 'list them with: arazzo-temporal schedule list');
        }
        throw err;
      }
      out(`${call.done} ${id}${more}`);
    });
  });
}
