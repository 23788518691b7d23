import { Command } from 'commander';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';
import { addRunFlags, type RunFlags } from '../run-flags.js';
import { scheduleLink, webUiBase } from '../web-ui.js';

interface CreateFlags extends RunFlags {
  every: string;
  note?: string;
  paused: boolean;
  uiUrl?: string;
  json: boolean;
}

export function scheduleCommand(): Command {
  const schedule = new Command('schedule')
    .description('rotate periodically with a Temporal Schedule (overlapping runs are skipped)')
    .addHelpText(
      'after',
      '\nExample: arazzo-temporal schedule rotations/x.arazzo.yaml --every 30d --input @inputs.json',
    );
  schedule.addCommand(createCommand(), { isDefault: true });
  schedule.addCommand(
    new Command('list')
      .description('the schedules that start Arazzo runs')
      .option('--json', 'machine-readable output', false)
      .action(async (o: { json: boolean }, command: Command) => {
        const { listSchedules } = await import('../schedules.js');
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
      }),
  );
  schedule.addCommand(simple('pause', 'pause a schedule (no runs start until unpaused)', 'pauseSchedule', 'paused'));
  schedule.addCommand(simple('unpause', 'resume a paused schedule', 'unpauseSchedule', 'unpaused'));
  schedule.addCommand(simple('trigger', 'start one run now', 'triggerSchedule', 'triggered'));
  schedule.addCommand(simple('delete', 'delete a schedule (runs already started go on)', 'deleteSchedule', 'deleted'));
  return schedule;
}

function createCommand(): Command {
  const command = new Command('create')
    .description('create a schedule (the default: `schedule <document> --every 30d ...`)')
    .argument('<document>', "Arazzo document, below the worker's document root")
    .requiredOption('--every <interval>', 'how often: 30d, 12h, 1w');
  return addRunFlags(command, {
    input: 'name=value, @file.json or a JSON object (repeatable); secrets as references',
    server: 'base URL for a source description (repeatable)',
    approveSteps: 'more steps that wait for approval (comma list)',
    id: ['--id <schedule-id>', 'schedule id (default: arazzo-<workflowId>-<random>)'],
  })
    .option('--note <text>', 'a note shown with the schedule')
    .option('--paused', 'create it paused', false)
    .option('--ui-url <url>', 'Web UI base URL for the link')
    .option('--json', 'machine-readable output', false)
    .action(async (document: string, o: CreateFlags, command: Command) => {
      const { prepareRun } = await import('../prepare-run.js');
      const prepared = await prepareRun(document, o, 'the schedule');
      const { createSchedule } = await import('../schedules.js');
      await withClient(command, async ({ client, address, namespace }) => {
        const scheduleId = await createSchedule(client, {
          scheduleId: o.id,
          every: o.every,
          prepared,
          taskQueue: o.taskQueue,
          note: o.note,
          paused: o.paused,
        });
        const link = scheduleLink(webUiBase(address, o.uiUrl), namespace, scheduleId);
        if (o.json) return printJson({ scheduleId, every: o.every, webUi: link });
        out(`scheduled ${scheduleId}: every ${o.every}, ${prepared.summary}`);
        out(`  overlap     skip (a run still going when the next is due is not doubled)`);
        out(`  Web UI      ${link}`);
        out(`  pause       npx arazzo-temporal schedule pause ${scheduleId}`);
      });
    });
}

function simple(
  name: string,
  description: string,
  act: 'pauseSchedule' | 'unpauseSchedule' | 'triggerSchedule' | 'deleteSchedule',
  done: string,
): Command {
  const command = new Command(name).description(description).argument('<schedule-id>', 'the schedule');
  if (name === 'pause' || name === 'unpause') command.option('--note <text>', 'why (shown with the schedule)');
  return command.action(async (id: string, o: { note?: string }, self: Command) => {
    const schedules = await import('../schedules.js');
    await withClient(self, async ({ client }) => {
      await schedules[act](client, id, o.note);
      out(`${done} ${id}`);
    });
  });
}
