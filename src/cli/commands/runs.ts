// `runs`: the arazzoRun executions the server knows, newest first, with their state and the step they
// are at, from the search attributes the interpreter keeps (no worker needed). Filters are a
// visibility query, the same one `temporal workflow list --query` takes.
import { Command, Option } from 'commander';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';

interface RunsFlags {
  state?: string;
  status?: string;
  workflow?: string;
  limit: string;
  json?: boolean;
}

const STATES = [
  'running',
  'awaiting-approval',
  'needs-attention',
  'completed',
  'failed',
  'rejected',
  'approval-expired',
  'cancelled',
  'compensated',
];
const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'];

export function runsCommand(): Command {
  return new Command('runs')
    .description('list runs, newest first: Temporal status, state and the step each is at')
    .addOption(new Option('--state <state>', 'only runs in this state').choices(STATES))
    .addOption(new Option('--status <status>', 'only runs with this Temporal status').choices(STATUSES))
    .option('--workflow <id>', 'only runs of this Arazzo workflow id')
    .option('--limit <n>', 'at most this many (default 20)', '20')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExit codes: 0 listed (also when none matched), 2 usage error.')
    .action(async (o: RunsFlags, command: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        const { UsageError } = await import('../errors.js');
        throw new UsageError(`--limit ${o.limit}: not a positive whole number`, 'e.g. --limit 50');
      }
      const filters = ['WorkflowType="arazzoRun"'];
      if (o.state) filters.push(`ArazzoState="${o.state}"`);
      if (o.status) filters.push(`ExecutionStatus="${o.status}"`);
      if (o.workflow) filters.push(`ArazzoWorkflowId="${o.workflow.replace(/["\\]/g, '')}"`);
      const query = filters.join(' AND ');
      await withClient(command, async ({ client }) => {
        const rows: Array<Record<string, string | undefined>> = [];
        for await (const run of client.workflow.list({ query })) {
          const attr = (name: string) => {
            const value = run.searchAttributes?.[name];
            return Array.isArray(value) ? String(value[0]) : undefined;
          };
          rows.push({
            workflowId: run.workflowId,
            status: run.status.name,
            state: attr('ArazzoState'),
            step: attr('ArazzoStep'),
            workflow: attr('ArazzoWorkflowId'),
            started: run.startTime.toISOString(),
            taskQueue: run.taskQueue,
          });
          if (rows.length >= limit) break;
        }
        if (o.json) {
          printJson({ query, runs: rows });
          return;
        }
        if (rows.length === 0) {
          out(`no runs match (${query})`);
          return;
        }
        const columns = ['workflowId', 'status', 'state', 'step', 'started'] as const;
        const width = Object.fromEntries(
          columns.map((c) => [c, Math.max(c.length, ...rows.map((r) => (r[c] ?? '-').length))]),
        );
        const line = (r: Record<string, string | undefined>) =>
          columns
            .map((c) => (r[c] ?? '-').padEnd(width[c]))
            .join('  ')
            .trimEnd();
        out(line(Object.fromEntries(columns.map((c) => [c, c.toUpperCase()]))));
        for (const r of rows) out(line(r));
      });
    });
}
