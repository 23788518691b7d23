// The bench's worker, in its own process so that its CPU time and memory are measured alone (the
// client, the simulators and the dev server run elsewhere). Started by lib/worker-process.ts with its
// settings as JSON in argv[2]; answers `usage` messages over IPC.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { startChannelRuntime, type StartedChannelRuntime } from '../src/channels/runtime.js';
import { getDataConverter } from '../src/codec/data-converter.js';
import type { WorkerPolicy } from '../src/activities/config.js';
import { createActivities } from '../src/activities/index.js';
import { createArazzoWorker } from '../src/worker.js';
import { createHandwrittenActivities } from './handwritten/activities.js';

export interface WorkerChildSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  documentRoot: string;
  /** Run the channel runtime (Kafka binding and listener), as `npm run worker` does, for message steps. */
  channels?: boolean;
}

export interface WorkerUsage {
  /** User + system CPU of the whole process (every thread, the SDK's native core included), seconds. */
  cpuSeconds: number;
  rssBytes: number;
  maxRssBytes: number;
  /** Activities executing now (a waiting receive holds none). */
  activitiesInFlight: number;
  /** Waits the channel listener feeds now. */
  listenerWaits: number;
  /** The workflow cache size the worker was created with (ARAZZO_MAX_CACHED_WORKFLOWS or its heap-based default). */
  maxCachedWorkflows: number;
}

export type ChildMessage = { type: 'ready' } | { type: 'usage'; id: number; usage: WorkerUsage };
export type ParentMessage = { type: 'usage'; id: number } | { type: 'stop' };

const quiet = () => {};
Runtime.install({
  logger: {
    log: quiet,
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: (message) => console.error(`[bench worker] ${message}`),
  },
});

const settings = JSON.parse(process.argv[2]) as WorkerChildSettings;
const policy: WorkerPolicy = {
  documentRoot: settings.documentRoot,
  allowedDocumentHosts: [],
  allowedServerHosts: ['127.0.0.1', 'localhost'],
};
const connection = await NativeConnection.connect({ address: settings.address });
let channels: StartedChannelRuntime | undefined;
if (settings.channels) {
  const client = new Client({
    connection: await Connection.connect({ address: settings.address }),
    namespace: settings.namespace,
    dataConverter: getDataConverter(),
  });
  channels = startChannelRuntime({ client, discoverEveryMs: 2_000 });
}
const activities = createActivities(policy, channels);
const worker = await createArazzoWorker({
  connection,
  namespace: settings.namespace,
  taskQueue: settings.taskQueue,
  policy,
  workflowBundle: { codePath: settings.bundlePath },
  extra: { activities: { ...activities, ...createHandwrittenActivities({ loadPlan: activities.loadPlan }) } },
});

function usage(): WorkerUsage {
  const cpu = process.cpuUsage();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBytes: process.memoryUsage().rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    activitiesInFlight: worker.getStatus().numInFlightActivities,
    listenerWaits: channels?.listener.waiting ?? 0,
    maxCachedWorkflows: worker.options.maxCachedWorkflows,
  };
}

const send = (message: ChildMessage) => process.send?.(message);
process.on('message', (message: ParentMessage) => {
  if (message.type === 'usage') send({ type: 'usage', id: message.id, usage: usage() });
  if (message.type === 'stop') worker.shutdown();
});
// The parent going away ends this process too.
process.on('disconnect', () => worker.shutdown());

const running = worker.run();
send({ type: 'ready' });
await running;
await channels?.stop();
await connection.close();
process.exit(0);
