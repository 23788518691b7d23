// Whether a worker listens on a task queue: the server's DescribeTaskQueue lists the workers that polled
// it recently. A run on a queue nobody polls waits forever, a query to it times out with "Failed to query
// Workflow", and an approval hangs; so `start`, `approve`, `reject`, `status` and `--wait` look first and
// say plainly which queue they looked at.
import type { Client } from '@temporalio/client';
import { CliError } from './errors.js';

/**
 * A worker long-polls and polls again at once, so a live one was seen within about a minute (a poll
 * lasts up to ~60 s). The server keeps a stopped worker's entry for minutes: an entry older than this
 * is a worker that has gone.
 */
export const LIVE_POLLER_MS = 90_000;

export interface WorkerPresence {
  taskQueue: string;
  namespace: string;
  /** Workers that polled the queue's workflow tasks within LIVE_POLLER_MS. */
  workers: number;
  /** Their identities (`pid@host`), for messages and `--json`. */
  identities: string[];
}

const WORKFLOW_TASK_QUEUE = 1; // temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW

export async function workerPresence(
  client: Pick<Client, 'workflowService'>,
  namespace: string,
  taskQueue: string,
): Promise<WorkerPresence> {
  const answer = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: WORKFLOW_TASK_QUEUE,
  });
  const now = Date.now();
  const live = (answer.pollers ?? []).filter((p) => {
    const at = p.lastAccessTime;
    if (!at?.seconds) return true;
    return now - (Number(at.seconds) * 1000 + Math.floor((at.nanos ?? 0) / 1e6)) < LIVE_POLLER_MS;
  });
  return { taskQueue, namespace, workers: live.length, identities: live.map((p) => p.identity ?? '?') };
}

/** `no worker polls task queue "x" (namespace default)`: the first half of every such message. */
export function noWorkerText(presence: WorkerPresence): string {
  return `no worker polls task queue "${presence.taskQueue}" (namespace ${presence.namespace})`;
}

/** How to get a worker there. */
export function startWorkerHint(presence: WorkerPresence): string {
  const queue = presence.taskQueue === 'arazzo' ? '' : ` --task-queue ${presence.taskQueue}`;
  return `start one: npx arazzo-temporal worker${queue} (or check the task queue's name)`;
}

/** A decision or query that needs a worker, refused before it hangs. */
export function noWorkerError(presence: WorkerPresence, consequence: string): CliError {
  return new CliError(`${noWorkerText(presence)}: ${consequence}`, startWorkerHint(presence));
}

/** The run's task queue, when a worker polls it; else the run cannot act on `consequence`. */
export async function requireWorker(
  client: Client,
  namespace: string,
  workflowRunId: string,
  consequence: string,
): Promise<WorkerPresence> {
  const { explainQueryError } = await import('./progress-query.js');
  let taskQueue: string;
  try {
    taskQueue = (await client.workflow.getHandle(workflowRunId).describe()).taskQueue;
  } catch (err) {
    throw explainQueryError(err, workflowRunId);
  }
  const presence = await workerPresence(client, namespace, taskQueue);
  if (presence.workers === 0) throw noWorkerError(presence, consequence);
  return presence;
}
