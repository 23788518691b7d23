// `manage`: a credential rotated on a schedule by one long-running workflow (arazzoManagedCredential,
// src/workflows/managed.ts) that carries each rotation's new identifiers into the next. Its workflow id
// comes from the document's x-lock-key as it reads now, so one credential is managed once.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Command, Option } from 'commander';
import { withClient } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { out, printJson } from '../output.js';
import type { PreparedRun } from '../prepare-run.js';
import { addRunFlags, type RunFlags } from '../run-flags.js';
import { webUiBase, workflowLink } from '../web-ui.js';

interface ManageFlags extends RunFlags {
  every?: string;
  cron?: string;
  firstIn?: string;
  onBusy: 'refuse' | 'queue';
  retryAfter: string;
  uiUrl?: string;
  json: boolean;
}

const DURATION = /^\d+(\.\d+)?(ms|s|m|h|d)$/;

export function manageCommand(): Command {
  const command = new Command('manage')
    .description('manage a credential: rotate it on a schedule, each rotation on the credential the last one made')
    .argument('<document>', "Arazzo document with x-managed, below the worker's document root")
    .option('--every <duration>', 'how often, counted from now: 30d, 12h, 90m')
    .option('--cron <expression>', "or when, in UTC: five cron fields, e.g. '0 3 1 * *' (03:00 on the 1st)");
  return addRunFlags(command, {
    input:
      'name=value, @file.json or a JSON object (repeatable); secrets only as references name={"$secret":"env:NAME"}',
    server: 'base URL for a source description, host:port for an AsyncAPI one (repeatable; hosts the worker allows)',
    approveSteps: 'more steps that wait for approval in each rotation (comma list)',
    id: ['--id <workflow-id>', "workflow id (default: arazzo-managed:<the document's lock key>)"],
  })
    .option('--first-in <duration>', 'the first rotation after this long (default: --every)')
    .addOption(
      new Option('--on-busy <policy>', 'a rotate-now while a rotation runs: refuse it, or queue it for right after')
        .choices(['refuse', 'queue'])
        .default('refuse'),
    )
    .option(
      '--retry-after <duration>',
      'after a failed or rejected rotation: first retry delay, doubled up to --every (a day with --cron)',
      '1h',
    )
    .option('--ui-url <url>', 'Web UI base URL for the link')
    .option('--json', 'machine-readable output', false)
    .addHelpText(
      'after',
      '\nThen: arazzo-temporal managed list | show <id> | rotate <id> | pause <id> | resume <id> | retire <id>\nEach rotation is a run of its own (<id>/rotation-<n>) that waits for approval as `start` runs do.',
    )
    .action(async (document: string, o: ManageFlags, command: Command) => {
      if ((o.every === undefined) === (o.cron === undefined)) {
        throw new UsageError('give one of --every and --cron', "--every 30d (from now), or --cron '0 3 1 * *' (UTC)");
      }
      if (o.cron !== undefined) {
        const { parseCron } = await import('../../workflows/cron.js');
        const parsed = parseCron(o.cron);
        if ('error' in parsed)
          throw new UsageError(`--cron: ${parsed.error}`, "e.g. --cron '0 3 1 * *' (03:00 UTC on the 1st)");
      }
      for (const [flag, value] of [
        ['--every', o.every],
        ['--first-in', o.firstIn],
        ['--retry-after', o.retryAfter],
      ]) {
        if (value !== undefined && !DURATION.test(value)) {
          throw new UsageError(`${flag} ${value}: not a duration`, 'write a number and a unit: 30d, 12h, 90m, 10s');
        }
      }
      const { prepareRun } = await import('../prepare-run.js');
      const prepared = await prepareRun(document, o, 'the managed credential');
      const plain = prepared.secretInputs.filter(
        (n) => n in (prepared.input.inputs ?? {}) && !isReference(prepared.input.inputs?.[n]),
      );
      if (plain.length) {
        throw new UsageError(
          `${plain.join(', ')}: a managed credential keeps its inputs for as long as it lives, so secrets only as references`,
          `--input '${plain[0]}={"$secret":"env:NAME"}' (a variable the worker allows in ARAZZO_SECRET_ENV_ALLOW)`,
        );
      }
      const workflowId = o.id ?? (await defaultId(prepared));
      await withClient(command, async ({ client, address, namespace }) => {
        const handle = await startManaged(client, prepared, o, workflowId);
        const view = await firstView(handle);
        const link = workflowLink(webUiBase(address, o.uiUrl), namespace, workflowId);
        if (o.json)
          return printJson({ workflowId, nextDueAt: view.nextDueAt, every: o.every, cron: o.cron, webUi: link });
        out(`managing ${workflowId}: ${when(o)}, ${prepared.summary}`);
        out(`  next rotation  ${view.nextDueAt}`);
        out(`  Web UI         ${link}`);
        out(`  show           npx arazzo-temporal managed show ${workflowId}`);
        out(`  rotate now     npx arazzo-temporal managed rotate ${workflowId}`);
      });
    });
}

function when(o: ManageFlags): string {
  return o.cron !== undefined ? `cron ${o.cron} (UTC)` : `every ${o.every}`;
}

function isReference(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { $secret?: unknown }).$secret === 'string';
}

/** `arazzo-managed:<x-lock-key with these inputs>`: Temporal then runs one managed credential per credential. */
async function defaultId(prepared: PreparedRun): Promise<string> {
  const { managedWorkflowId } = await import('../../workflows/managed-contract.js');
  const { evaluateTemplate, parseValueTemplate } = await import('../../arazzo/expressions/index.js');
  if (!prepared.lockKeyTemplate) {
    throw new UsageError(
      `workflow ${prepared.workflowId} has no x-lock-key, so nothing says which credential it rotates`,
      'give the managed credential an id of its own: --id <workflow-id>',
    );
  }
  const parsed = parseValueTemplate(prepared.lockKeyTemplate, {});
  const key = parsed.ok
    ? evaluateTemplate(parsed.value, { inputs: prepared.input.inputs ?? {}, steps: {} })
    : undefined;
  if (typeof key !== 'string' || key === '') {
    throw new UsageError(
      `x-lock-key "${prepared.lockKeyTemplate}" reads nothing with these inputs`,
      'give the inputs it reads',
    );
  }
  return managedWorkflowId(key);
}

async function startManaged(client: Client, prepared: PreparedRun, o: ManageFlags, workflowId: string) {
  const { WorkflowExecutionAlreadyStartedError } = await import('@temporalio/client');
  const { MANAGED_WORKFLOW_TYPE } = await import('../../workflows/managed-contract.js');
  const { durationMs } = await import('../../workflows/run-options.js');
  const firstDueAt = o.firstIn ? new Date(Date.now() + durationMs(o.firstIn)).toISOString() : undefined;
  try {
    return await client.workflow.start(MANAGED_WORKFLOW_TYPE, {
      taskQueue: o.taskQueue,
      workflowId,
      args: [
        {
          run: prepared.input,
          every: o.every,
          cron: o.cron,
          firstDueAt,
          onBusy: o.onBusy,
          retry: { initial: o.retryAfter },
        },
      ],
      staticSummary: `managed: ${prepared.summary}, ${when(o)}`,
      staticDetails: prepared.details,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(`${workflowId} is already managed`, `see it with: arazzo-temporal managed show ${workflowId}`);
    }
    throw err;
  }
}

/** Its first view, once the worker has checked the document (a refusal there is reported as the error). */
async function firstView(handle: WorkflowHandle) {
  const { managedQuery } = await import('../../workflows/managed-contract.js');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = await handle.query(managedQuery).catch(() => undefined);
    if (view) return view;
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') {
      const failure = await handle.result().then(
        () => undefined,
        (err: { cause?: { message?: string } }) => err.cause?.message,
      );
      throw new CliError(`${handle.workflowId} was refused: ${failure ?? status.name}`);
    }
    if (Date.now() > deadline) {
      throw new CliError(
        `${handle.workflowId} started, but no worker has taken it up yet`,
        'is a worker running on this task queue?',
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
