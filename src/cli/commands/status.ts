import { Command } from 'commander';
import { renderProgress } from '../render-progress.js';
import { webUiBase, workflowLink } from '../web-ui.js';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';

export function statusCommand(): Command {
  return new Command('status')
    .description("a run's progress: state, steps, pending approval, outputs (secrets masked)")
    .argument('<workflow-id>', 'the run (Temporal workflow id)')
    .option('--ui-url <url>', 'Web UI base URL for the link')
    .option('--json', 'machine-readable output (the progress query as it is)', false)
    .addHelpText('after', '\nExit codes: 0 shown, 1 no such run or no answer.')
    .action(async (workflowRunId: string, o: { json: boolean; uiUrl?: string }, command: Command) => {
      const { runStatus } = await import('../run-status.js');
      await withClient(command, async ({ client, address, namespace }) => {
        const status = await runStatus(client, workflowRunId);
        if (o.json) {
          printJson(status);
          return;
        }
        if (status.progress) out(renderProgress(status.progress, workflowRunId, status.temporalStatus));
        else out(`run ${workflowRunId}: Temporal status ${status.temporalStatus} (${status.progressError})`);
        out(`Web UI: ${workflowLink(webUiBase(address, o.uiUrl), namespace, status.workflowId, status.runId)}`);
      });
    });
}
