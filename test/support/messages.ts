// Shared by the message-step e2e tests: a worker with the channel runtime, and what a history says about
// the messages a run took.
import type { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import type { WorkerPolicy } from '../../src/activities/config.js';
import { startChannelRuntime, type StartedChannelRuntime } from '../../src/channels/runtime.js';
import type { TemporalTestEnv } from './temporal.js';

export interface ChannelWorker {
  worker: Worker;
  channels: StartedChannelRuntime;
  stop(): Promise<void>;
}

/** A running worker on `taskQueue` whose channel listener looks for waits every 500 ms. */
export async function startChannelWorker(
  env: TemporalTestEnv,
  taskQueue: string,
  policy: WorkerPolicy,
): Promise<ChannelWorker> {
  const channels = startChannelRuntime({ client: env.client, discoverEveryMs: 500 });
  const worker = await env.createWorker({ taskQueue, activities: createActivities(policy, channels) });
  const running = worker.run();
  return {
    worker,
    channels,
    async stop() {
      worker.shutdown();
      await running;
      await channels.stop();
    },
  };
}

/** The `deliverMessage` updates a run accepted: the messages it took (the validator refuses the rest unrecorded). */
export function acceptedMessages(history: temporal.api.history.v1.IHistory): number {
  return (history.events ?? []).filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'deliverMessage',
  ).length;
}
