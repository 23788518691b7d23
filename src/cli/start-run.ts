// Starts the interpreter workflow (`arazzoRun`) for a prepared run, with a static summary and details
// the Web UI shows from the first second.
import { randomUUID } from 'node:crypto';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { CliError } from './errors.js';
import type { PreparedRun } from './prepare-run.js';

export interface StartRequest {
  prepared: PreparedRun;
  taskQueue: string;
  /** The Temporal workflow id; default `<arazzo workflowId>-<8 hex>`. */
  id?: string;
}

export async function startRun(client: Client, request: StartRequest): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const workflowId = request.id ?? `${request.prepared.workflowId}-${randomUUID().slice(0, 8)}`;
  try {
    return await client.workflow.start('arazzoRun', {
      taskQueue: request.taskQueue,
      workflowId,
      args: [request.prepared.input],
      staticSummary: request.prepared.summary,
      staticDetails: request.prepared.details,
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
