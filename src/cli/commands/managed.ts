// `managed list|show|rotate|pause|resume|retire`: the managed credentials (`manage`) and what they are
// doing. Changes go through the workflow's updates, so a refusal (a rotation already running, not paused,
// retired) comes back at once with the reason. An id may be given without its `arazzo-managed:` prefix.
import { userInfo } from 'node:os';
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import type { ManagedView } from '../../workflows/managed-contract.js';
import { withClient } from '../connect.js';
import { CliError } from '../errors.js';
import { out, printJson } from '../output.js';

const PREFIX = 'arazzo-managed:';

export function managedCommand(): Command {
  const managed = new Command('managed').description(
    'the managed credentials: list, show, rotate now, pause, resume, retire',
  );
  managed.addCommand(listCommand());
  managed.addCommand(showCommand());
  for (const change of CHANGES) managed.addCommand(changeCommand(change));
  return managed;
}

function fullId(id: string): string {
  return id.startsWith(PREFIX) ? id : `${PREFIX}${id}`;
}

async function viewOf(client: Client, id: string): Promise<ManagedView> {
  const { managedQuery } = await import('../../workflows/managed-contract.js');
  try {
    return await client.workflow.getHandle(fullId(id)).query(managedQuery);
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') {
      throw new CliError(`no managed credential ${fullId(id)}`, 'list them with: arazzo-temporal managed list');
    }
    throw err;
  }
}

function listCommand(): Command {
  return new Command('list')
    .description('the managed credentials that are running')
    .option('--json', 'machine-readable output', false)
    .action(async (o: { json: boolean }, command: Command) => {
      const { MANAGED_WORKFLOW_TYPE } = await import('../../workflows/managed-contract.js');
      await withClient(command, async ({ client }) => {
        const rows = [];
        const query = `WorkflowType = '${MANAGED_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
        for await (const w of client.workflow.list({ query })) {
          const view = await viewOf(client, w.workflowId).catch(() => undefined);
          rows.push({
            workflowId: w.workflowId,
            state: view?.state ?? '?',
            nextDueAt: view?.current ? undefined : view?.nextDueAt,
            rotating: view?.current?.workflowId,
            completed: view?.completed,
            document: view?.document,
          });
        }
        rows.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
        if (o.json) return printJson(rows);
        if (!rows.length) return out('no managed credentials');
        for (const r of rows) {
          const when = r.rotating ? `rotating: ${r.rotating}` : `next ${r.nextDueAt ?? '-'}`;
          out(`${r.workflowId}  ${r.state}  ${when}  ${r.completed ?? 0} rotated  ${r.document ?? ''}`);
        }
      });
    });
}

function showCommand(): Command {
  return new Command('show')
    .description('state, next due time, current identifiers, the rotation running and the last ones')
    .argument('<id>', 'the managed credential (with or without arazzo-managed:)')
    .option('--json', 'machine-readable output', false)
    .action(async (id: string, o: { json: boolean }, command: Command) => {
      await withClient(command, async ({ client }) => {
        const view = await viewOf(client, id);
        if (o.json) return printJson({ workflowId: fullId(id), ...view });
        const when = view.cron !== undefined ? `cron ${view.cron} (UTC)` : `every ${view.every}`;
        out(`${fullId(id)}: ${view.state}, ${when} (rotate-now while rotating: ${view.onBusy})`);
        out(`  document       ${view.document}${view.workflowId ? ` (${view.workflowId})` : ''}`);
        for (const { input } of view.spec.carry) out(`  ${input.padEnd(14)} ${String(view.inputs[input])}`);
        if (view.current) {
          out(`  rotating       ${view.current.workflowId} (${view.current.trigger}, since ${view.current.startedAt})`);
          out(`  approve with   npx arazzo-temporal approve ${view.current.workflowId}`);
        } else {
          out(`  next rotation  ${view.paused ? 'paused' : view.nextDueAt}`);
        }
        if (view.paused)
          out(`  paused by      ${view.paused.by}${view.paused.reason ? `: ${view.paused.reason}` : ''}`);
        out(
          `  rotations      ${view.completed} completed of ${view.started}${view.historyDropped ? ` (${view.historyDropped} older not kept)` : ''}`,
        );
        for (const h of view.history) {
          const approved = h.approvedBy?.length ? ` approved by ${h.approvedBy.join(', ')}` : '';
          out(
            `    ${h.number}  ${h.status}  ${h.endedAt ?? ''}  ${h.trigger}${approved}${h.message ? `  ${h.message}` : ''}`,
          );
        }
      });
    });
}

interface Change {
  name: string;
  update: 'rotateNow' | 'pause' | 'resume' | 'retire';
  description: string;
  reason: boolean;
}

const CHANGES: Change[] = [
  {
    name: 'rotate',
    update: 'rotateNow',
    description: 'rotate now (refused or queued while a rotation runs, by its policy)',
    reason: true,
  },
  {
    name: 'pause',
    update: 'pause',
    description: 'start no rotation until resumed (a running one goes on)',
    reason: true,
  },
  {
    name: 'resume',
    update: 'resume',
    description: 'resume a paused credential (an overdue rotation starts at once)',
    reason: false,
  },
  {
    name: 'retire',
    update: 'retire',
    description: 'stop managing it (a running rotation finishes first)',
    reason: true,
  },
];

function changeCommand(change: Change): Command {
  const command = new Command(change.name)
    .description(change.description)
    .argument('<id>', 'the managed credential (with or without arazzo-managed:)')
    .option('--by <name>', 'who asks (default: ARAZZO_APPROVER or your user name)');
  if (change.reason) command.option('--reason <text>', 'why (recorded)');
  return command.action(async (id: string, o: { by?: string; reason?: string }, self: Command) => {
    await withClient(self, async ({ client }) => {
      await viewOf(client, id); // a clear "no such managed credential" first
      const by = o.by ?? process.env.ARAZZO_APPROVER ?? userInfo().username;
      try {
        const answer = await client.workflow
          .getHandle(fullId(id))
          .executeUpdate<string, [{ by: string; reason?: string }]>(change.update, {
            args: [{ by, reason: o.reason }],
          });
        out(answer);
      } catch (err) {
        const reason = (err as { cause?: { message?: string } }).cause?.message;
        if (reason) throw new CliError(`${change.name} refused: ${reason}`);
        throw err;
      }
    });
  });
}
