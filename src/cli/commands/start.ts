// `start`: starts the interpreter workflow (`arazzoRun`) for a run prepared from the flags, with a
// static summary and details the Web UI shows from the first second; `--wait` follows it.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { withClient } from '../connect.js';
import { followTimeout } from '../duration.js';
import { CliError } from '../errors.js';
import { out, printJson } from '../output.js';
import type { PreparedRun } from '../prepare-run.js';
import { approveHint } from '../render-progress.js';
import { addRunFlags, type RunFlags } from '../run-flags.js';
import { webUiBase, workflowLink } from '../web-ui.js';
import { noWorkerText, startWorkerHint, workerPresence } from '../worker-presence.js';

interface StartFlags extends RunFlags {
  uiUrl?: string;
  /** Sign the start with this approver key: the run's requester is then known (separation of duties). */
  key?: string;
  wait?: boolean;
  timeout?: string;
  /** `--no-worker-check` makes it false: start even when no worker polls the task queue. */
  workerCheck: boolean;
  json?: boolean;
}

export function startCommand(): Command {
  const command = new Command('start')
    .description('start a run of an Arazzo workflow on the Temporal worker')
    .argument('<document>', "Arazzo document, below the worker's document root");
  return addRunFlags(command, {
    input: 'name=value, @file.json or a JSON object (repeatable); secrets as name={"$secret":"env:NAME"}',
    server: 'base URL for a source description, host:port for an AsyncAPI one (repeatable; hosts the worker allows)',
    approveSteps: 'more steps that wait for approval (comma list, repeatable)',
    id: ['--id <workflow-id>', 'Temporal workflow id (default: <workflowId>-<random>)'],
  })
    .option(
      '--key <file>',
      'sign the start with your approver key (ARAZZO_APPROVER_KEY): the worker knows who requested the run, who then may not approve it',
    )
    .option('--ui-url <url>', "Web UI base URL for the link (default: ARAZZO_TEMPORAL_UI_URL or the dev server's)")
    .option('--wait', 'follow the run until it is done or waits for approval')
    .option('--timeout <duration>', 'with --wait: stop waiting after this long, e.g. 10m (the run goes on)')
    .option('--no-worker-check', 'start even when no worker polls the task queue (the run waits for one)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExit codes: 0 started (with --wait: completed or waiting for approval), 1 refused (no worker polls the task\nqueue: nothing is started) or the run did not complete, 2 usage error, 3 (with --wait) the run needs an\noperator decision, 4 (with --wait) --timeout passed (the run goes on).',
    )
    .action(async (document: string, o: StartFlags, command: Command) => {
      // Loaded on use, like every command's heavy dependencies (see program.ts).
      const { prepareRun } = await import('../prepare-run.js');
      const timeoutMs = followTimeout(o);
      const prepared = await prepareRun(document, o, "the run's history");
      const { followRun } = await import('../follow-run.js');
      await withClient(command, async ({ client, address, namespace }) => {
        if (o.workerCheck) {
          const presence = await workerPresence(client, namespace, o.taskQueue);
          if (presence.workers === 0) {
            throw new CliError(
              `${noWorkerText(presence)}: nothing was started`,
              `${startWorkerHint(presence)}; to start it anyway (it waits for a worker): --no-worker-check`,
            );
          }
        }
        const handle = await startRun(client, namespace, prepared, o);
        const link = workflowLink(
          webUiBase(address, o.uiUrl),
          namespace,
          handle.workflowId,
          handle.firstExecutionRunId,
        );
        if (o.json && !o.wait) {
          printJson({
            workflowId: handle.workflowId,
            runId: handle.firstExecutionRunId,
            taskQueue: o.taskQueue,
            webUi: link,
          });
          return;
        }
        if (!o.json) {
          out(`started ${handle.workflowId}: ${prepared.summary}`);
          out(`  run id      ${handle.firstExecutionRunId}`);
          out(`  task queue  ${o.taskQueue}`);
          out(`  Web UI      ${link}`);
          out(`  status      npx arazzo-temporal status ${handle.workflowId}`);
          out(`  when it waits for approval:`);
          for (const hint of approveHint(handle.workflowId)) out(`    ${hint}`);
        }
        if (o.wait) process.exitCode = await followRun(handle, Boolean(o.json), undefined, { timeoutMs });
      });
    });
}

async function startRun(client: Client, namespace: string, prepared: PreparedRun, o: StartFlags) {
  const { WorkflowExecutionAlreadyStartedError } = await import('@temporalio/client');
  const { WORKFLOW_TYPE } = await import('../../workflows/contract.js');
  const workflowId = o.id ?? `${prepared.workflowId}-${randomUUID().slice(0, 8)}`;
  const keyFile = o.key ?? process.env.ARAZZO_APPROVER_KEY;
  const input = keyFile ? await signedStart(keyFile, namespace, workflowId, prepared) : prepared.input;
  try {
    return await client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: o.taskQueue,
      workflowId,
      args: [input],
      staticSummary: prepared.summary,
      staticDetails: prepared.details,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(
        `a run with workflow id ${workflowId} is already running`,
        `see it with: arazzo-temporal status ${workflowId}`,
      );
    }
    throw err;
  }
}

/** The run input with its requester: the start signed for this namespace, workflow id and document. */
async function signedStart(keyFile: string, namespace: string, workflowId: string, prepared: PreparedRun) {
  const [{ readApproverKey }, { signStart }] = await Promise.all([
    import('../approver-key.js'),
    import('../../arazzo/approvals/signature.js'),
  ]);
  const key = await readApproverKey(keyFile);
  const statement = {
    namespace,
    workflowId,
    document: prepared.input.document,
    arazzoWorkflowId: prepared.input.workflowId ?? '',
    signedAt: new Date().toISOString(),
  };
  return { ...prepared.input, requester: signStart(statement, key.secretKey) };
}
