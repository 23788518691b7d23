// `status`: the run as the progress query reports it (state, steps, pending approval, outputs with
// secrets masked), with Temporal's own view of the execution and its Web UI link.
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { approveCommand, authenticationLines, decisionLine, signedDecisionCommands } from '../../workflows/details.js';
import type { RunProgress } from '../../workflows/types.js';
import { withClient } from '../connect.js';
import { CliError, EXIT, firstLine } from '../errors.js';
import { out, printJson } from '../output.js';
import { operatorName } from '../operator.js';
import { approveHint, maskOutputs, pasteableTemporalCommand, stepLine } from '../render-progress.js';
import { webUiBase, workflowLink } from '../web-ui.js';
import { noWorkerText, startWorkerHint, workerPresence } from '../worker-presence.js';

interface RunStatus {
  workflowId: string;
  runId: string;
  /** RUNNING, COMPLETED, FAILED, ... */
  temporalStatus: string;
  taskQueue: string;
  /** Workers polling the run's task queue now (the progress query needs one). */
  workers: number;
  progress?: RunProgress;
  /** Why the progress is missing (no worker polls the run's task queue, say). */
  progressError?: string;
}

export function statusCommand(): Command {
  return new Command('status')
    .description("a run's progress: state, steps, pending approval, outputs (secrets masked)")
    .argument('<workflow-id>', 'the run (Temporal workflow id)')
    .option('--ui-url <url>', 'Web UI base URL for the link')
    .option('--json', 'machine-readable output (the progress query as it is)', false)
    .addHelpText(
      'after',
      '\nExit codes: 0 shown, 1 no such run, or its progress cannot be read (no worker polls its task queue).',
    )
    .action(async (workflowRunId: string, o: { json: boolean; uiUrl?: string }, command: Command) => {
      await withClient(command, async ({ client, address, namespace }) => {
        const status = await runStatus(client, namespace, workflowRunId);
        // A run whose progress cannot be read is not "shown": scripts must not take it for an answer.
        if (!status.progress) process.exitCode = EXIT.failure;
        if (o.json) {
          printJson(status);
          return;
        }
        if (status.progress) out(render(status.progress, workflowRunId, status.temporalStatus));
        else {
          out(`run ${workflowRunId}: Temporal status ${status.temporalStatus}, task queue "${status.taskQueue}"`);
          out(`  ${status.progressError}`);
        }
        out(`Web UI: ${workflowLink(webUiBase(address, o.uiUrl), namespace, status.workflowId, status.runId)}`);
      });
    });
}

async function runStatus(client: Client, namespace: string, workflowRunId: string): Promise<RunStatus> {
  // Loaded on use, like every command's heavy dependencies (see program.ts).
  const [{ WorkflowNotFoundError }, { explainQueryError, queryProgress }] = await Promise.all([
    import('@temporalio/client'),
    import('../progress-query.js'),
  ]);
  const handle = client.workflow.getHandle(workflowRunId);
  let description: Awaited<ReturnType<typeof handle.describe>>;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw explainQueryError(err, workflowRunId);
    throw new CliError(`cannot describe ${workflowRunId}: ${firstLine(err)}`);
  }
  const status: RunStatus = {
    workflowId: description.workflowId,
    runId: description.runId,
    temporalStatus: description.status.name,
    taskQueue: description.taskQueue,
    workers: 0,
  };
  const presence = await workerPresence(client, namespace, description.taskQueue);
  status.workers = presence.workers;
  if (presence.workers === 0) {
    // A query would wait for a worker that is not there, then say only "Failed to query Workflow".
    status.progressError = `${noWorkerText(presence)}: its progress cannot be read until one does (${startWorkerHint(presence)})`;
    return status;
  }
  try {
    status.progress = await queryProgress(handle);
  } catch (err) {
    status.progressError = explainQueryError(err, workflowRunId).message;
  }
  return status;
}

function render(progress: RunProgress, workflowRunId: string, temporalStatus?: string): string {
  const lines = [
    `run ${workflowRunId}: ${progress.state}${temporalStatus ? ` (Temporal: ${temporalStatus})` : ''}`,
    `  document ${progress.document}, workflow ${progress.workflowId}${progress.lockKey ? `, lock ${progress.lockKey}` : ''}`,
  ];
  for (const step of progress.steps) lines.push(`  ${stepLine(step)}`);
  const pending = progress.pendingApproval;
  if (pending) {
    const target = Object.entries(pending.target)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(
      '',
      `approval pending for ${pending.stepId}: ${pending.method} ${pending.url}${target ? ` (${target})` : ''}`,
    );
    lines.push(`  approval id ${pending.approvalId}, expires ${pending.expiresAt}`);
    for (const line of authenticationLines(pending)) lines.push(`  ${line}`);
    if (pending.authenticated) {
      for (const command of signedDecisionCommands(workflowRunId, pending.stepId)) lines.push(`  ${command}`);
    } else {
      for (const hint of approveHint(workflowRunId)) lines.push(`  ${hint}`);
      lines.push(
        `  with the temporal CLI: ${pasteableTemporalCommand(approveCommand(workflowRunId, pending.stepId, pending.approvalId, operatorName()))}`,
      );
    }
  }
  if (progress.requester) lines.push(`  requested by ${progress.requester}`);
  const attention = progress.attention;
  if (attention) {
    lines.push('', `needs attention at ${attention.stepId}: ${attention.reason}`);
    lines.push(`  what is known: ${attention.known}`);
    for (const option of attention.options) lines.push(`  - ${option}`);
  }
  for (const a of progress.approvals) lines.push(`  ${decisionLine(a)}`);
  const outputs = Object.entries(maskOutputs(progress.outputs));
  if (outputs.length) {
    lines.push('outputs:');
    for (const [k, v] of outputs) lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return lines.join('\n');
}
