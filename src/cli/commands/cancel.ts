// `cancel`: asks the run to stop (a Temporal cancellation request, recorded by the server). The
// interpreter ends it as `cancelled` at its next step boundary or while it waits; nothing destructive
// runs after the request.
import { Command } from 'commander';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';
import { noWorkerText, workerPresence } from '../worker-presence.js';

export function cancelCommand(): Command {
  return new Command('cancel')
    .description('ask a run to stop: it ends as cancelled at its next step or while it waits')
    .argument('<workflow-id>', 'the run (Temporal workflow id)')
    .option('--reason <text>', 'why (recorded in the cancellation request)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExit codes: 0 requested, 1 no such run or it is not running, 2 usage error.')
    .action(async (workflowRunId: string, o: { reason?: string; json?: boolean }, command: Command) => {
      await withClient(command, async ({ client, namespace }) => {
        const { explainQueryError } = await import('../progress-query.js');
        const { CliError } = await import('../errors.js');
        const handle = client.workflow.getHandle(workflowRunId);
        const description = await handle.describe().catch((err) => {
          throw explainQueryError(err, workflowRunId);
        });
        if (description.status.name !== 'RUNNING') {
          throw new CliError(
            `run ${workflowRunId} is not running (Temporal status ${description.status.name}): nothing to cancel`,
            `see it with: npx arazzo-temporal status ${workflowRunId}`,
          );
        }
        await handle.cancel();
        const presence = await workerPresence(client, namespace, description.taskQueue);
        if (o.json) {
          printJson({ workflowId: workflowRunId, cancelRequested: true, reason: o.reason, workers: presence.workers });
          return;
        }
        out(`cancellation requested for ${workflowRunId}${o.reason ? ` (${o.reason})` : ''}`);
        out(
          presence.workers === 0
            ? `  ${noWorkerText(presence)}: it takes effect when one does`
            : `  it ends as cancelled at its next step; see it with: npx arazzo-temporal status ${workflowRunId}`,
        );
      });
    });
}
