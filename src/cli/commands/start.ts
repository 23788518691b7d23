import { Command } from 'commander';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';
import { approveHint } from '../render-progress.js';
import { addRunFlags, type RunFlags } from '../run-flags.js';
import { webUiBase, workflowLink } from '../web-ui.js';

interface StartFlags extends RunFlags {
  uiUrl?: string;
  wait: boolean;
  json: boolean;
}

export function startCommand(): Command {
  const command = new Command('start')
    .description('start a run of an Arazzo workflow on the Temporal worker')
    .argument('<document>', "Arazzo document, below the worker's document root");
  return addRunFlags(command, {
    input: 'name=value, @file.json or a JSON object (repeatable); secrets as name={"$secret":"env:NAME"}',
    server: 'base URL for a source description (repeatable; hosts the worker allows)',
    approveSteps: 'more steps that wait for approval (comma list, repeatable)',
    id: ['--id <workflow-id>', 'Temporal workflow id (default: <workflowId>-<random>)'],
  })
    .option('--ui-url <url>', "Web UI base URL for the link (default: ARAZZO_TEMPORAL_UI_URL or the dev server's)")
    .option('--wait', 'follow the run until it is done or waits for approval', false)
    .option('--json', 'machine-readable output', false)
    .addHelpText(
      'after',
      '\nExit codes: 0 started (with --wait: completed or waiting for approval), 1 refused or the run did not complete,\n2 usage error, 3 (with --wait) the run needs an operator decision.',
    )
    .action(async (document: string, o: StartFlags, command: Command) => {
      const { prepareRun } = await import('../prepare-run.js');
      const prepared = await prepareRun(document, o, "the run's history");
      const { startRun } = await import('../start-run.js');
      const { followRun } = await import('../follow-run.js');
      await withClient(command, async ({ client, address, namespace }) => {
        const handle = await startRun(client, { prepared, taskQueue: o.taskQueue, id: o.id });
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
        if (o.wait) process.exitCode = await followRun(handle, o.json);
      });
    });
}
