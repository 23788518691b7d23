import { Command } from 'commander';
import { approveHint } from '../render-progress.js';
import { webUiBase, workflowLink } from '../web-ui.js';
import {
  collect,
  collectList,
  DOCUMENT_ROOT_HELP,
  defaultTaskQueue,
  out,
  printJson,
  TASK_QUEUE_HELP,
  prepareRunFromFlags,
  withClient,
} from './shared.js';

interface StartFlags {
  workflow?: string;
  input: string[];
  server: string[];
  approveSteps: string[];
  deliver: string[];
  id?: string;
  taskQueue: string;
  documentRoot?: string;
  uiUrl?: string;
  wait: boolean;
  json: boolean;
}

export function startCommand(): Command {
  return new Command('start')
    .description('start a run of an Arazzo workflow on the Temporal worker')
    .argument('<document>', "Arazzo document, below the worker's document root")
    .option('--workflow <id>', 'Arazzo workflowId (default: the first workflow)')
    .option(
      '-i, --input <input>',
      'name=value, @file.json or a JSON object (repeatable); secrets as name={"$secret":"env:NAME"}',
      collect,
      [],
    )
    .option(
      '--server <source=url>',
      'base URL for a source description (repeatable; hosts the worker allows)',
      collect,
      [],
    )
    .option('--approve-steps <stepIds>', 'more steps that wait for approval (comma list, repeatable)', collectList, [])
    .option(
      '--deliver <output=sink:name>',
      'a secret output the worker delivers (e.g. to a file in its ARAZZO_SECRET_SINK_DIR) instead of recording it (repeatable)',
      collect,
      [],
    )
    .option('--id <workflow-id>', 'Temporal workflow id (default: <workflowId>-<random>)')
    .option('--task-queue <name>', TASK_QUEUE_HELP, defaultTaskQueue())
    .option('--document-root <dir>', DOCUMENT_ROOT_HELP)
    .option('--ui-url <url>', "Web UI base URL for the link (default: ARAZZO_TEMPORAL_UI_URL or the dev server's)")
    .option('--wait', 'follow the run until it is done or waits for approval', false)
    .option('--json', 'machine-readable output', false)
    .addHelpText(
      'after',
      '\nExit codes: 0 started (with --wait: completed or waiting for approval), 1 refused or the run did not complete,\n2 usage error, 3 (with --wait) the run needs an operator decision.',
    )
    .action(async (document: string, o: StartFlags, command: Command) => {
      const prepared = await prepareRunFromFlags(document, o, "the run's history");
      const { startRun } = await import('../start-run.js');
      const { followAndReport } = await import('./follow.js');
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
        if (o.wait) process.exitCode = await followAndReport(handle, o.json);
      });
    });
}
