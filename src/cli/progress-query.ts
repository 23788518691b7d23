// The interpreter's `progress` query, which `status`, the decisions and `--wait` all read, and what its
// failures mean to a person: no such run, or no worker to answer.
import { type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { RunProgress } from '../workflows/types.js';
import { CliError } from './errors.js';

/** A query waits for a worker to answer; never wait long (no worker yet is normal while starting). */
export async function queryProgress(handle: WorkflowHandle, timeoutMs = 5_000): Promise<RunProgress> {
  const { progressQuery } = await import('../workflows/contract.js');
  return handle.client.withDeadline(Date.now() + timeoutMs, () => handle.query(progressQuery));
}

export function explainQueryError(err: unknown, workflowRunId: string): CliError {
  if (err instanceof WorkflowNotFoundError) {
    return new CliError(
      `no run with workflow id ${workflowRunId}`,
      'list runs with: temporal workflow list --query \'WorkflowType="arazzoRun"\'',
    );
  }
  const message = (err as Error)?.message ?? String(err);
  if (/deadline|timed? ?out/i.test(message)) {
    return new CliError(
      `run ${workflowRunId} did not answer the progress query in time`,
      'is a worker running for its task queue? start one with: arazzo-temporal worker',
    );
  }
  return new CliError(`cannot read the progress of ${workflowRunId}: ${message.split('\n')[0]}`);
}
