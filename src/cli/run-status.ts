// `status`: the run as the progress query reports it, with Temporal's own view of the execution.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { RunProgress } from '../workflows/types.js';
import { CliError } from './errors.js';
import { explainQueryError, queryProgress } from './progress-query.js';

export interface RunStatus {
  workflowId: string;
  runId: string;
  /** RUNNING, COMPLETED, FAILED, ... */
  temporalStatus: string;
  taskQueue: string;
  progress?: RunProgress;
  /** Why the progress is missing (a closed run whose worker is gone, say). */
  progressError?: string;
}

export async function runStatus(client: Client, workflowRunId: string): Promise<RunStatus> {
  const handle = client.workflow.getHandle(workflowRunId);
  let description: Awaited<ReturnType<typeof handle.describe>>;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw explainQueryError(err, workflowRunId);
    throw new CliError(`cannot describe ${workflowRunId}: ${(err as Error).message.split('\n')[0]}`);
  }
  const status: RunStatus = {
    workflowId: description.workflowId,
    runId: description.runId,
    temporalStatus: description.status.name,
    taskQueue: description.taskQueue,
  };
  try {
    status.progress = await queryProgress(handle);
  } catch (err) {
    status.progressError = explainQueryError(err, workflowRunId).message;
  }
  return status;
}
