// The worker process: `npm run worker`. Connection settings come from @temporalio/envconfig, exactly
// like the `temporal` CLI (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles).
// What runs may read and call is this process's policy (src/activities/config.ts), not a run's input.
import { extname } from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { policyFromEnv, type WorkerPolicy } from './activities/config.js';
import { type ChannelRuntime, createActivities } from './activities/index.js';
import { startChannelRuntime } from './channels/runtime.js';
import { encryptionEnabled, getDataConverter } from './codec/data-converter.js';
import { workflowPreloadModules } from './workflow-bundle.js';

export { workflowPreloadModules } from './workflow-bundle.js';

export const DEFAULT_TASK_QUEUE = 'arazzo';

/** The workflow sources next to this file: `.ts` under tsx/vitest, `.js` once compiled. */
export const workflowsPath = fileURLToPath(
  new URL(`./workflows/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

export interface ArazzoWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  policy?: WorkerPolicy;
  /** A prebuilt bundle (tests, production); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Message bindings and the channel listener (Arazzo 1.1 channel steps); see src/channels/runtime.ts. */
  channels?: ChannelRuntime;
  extra?: Partial<WorkerOptions>;
}

/**
 * How many runs a worker keeps in its workflow cache. The SDK's default assumes about 1.7 MiB per cached
 * workflow; an interpreter run measured about 3.3 MiB (bench scenarios 4 and 5) while every run evaluated its
 * own copy of the workflow libraries, and a worker holding 1,000 parked runs ran its workflow thread out of
 * heap. With the libraries shared (workflows/shared-libraries.ts) a parked rotation measures about 0.5 MiB of
 * RSS; the bound stays at the heap ÷ 6 MiB a run, room for runs of larger documents than the rotations (a run
 * evicted from the cache is replayed from history when it next has work: memory is bounded by this number,
 * not by how many runs wait). ARAZZO_MAX_CACHED_WORKFLOWS overrides it.
 */
export function defaultMaxCachedWorkflows(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.ARAZZO_MAX_CACHED_WORKFLOWS);
  if (Number.isInteger(configured) && configured >= 2) return configured;
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(Math.floor((heapMiB - 400) / 6), 10);
}

export async function createArazzoWorker(options: ArazzoWorkerOptions): Promise<Worker> {
  const policy = options.policy ?? policyFromEnv();
  return Worker.create({
    maxCachedWorkflows: defaultMaxCachedWorkflows(),
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    activities: createActivities(policy, options.channels),
    // Payload encryption (when a codec key is configured) and encoded failure messages; a prebuilt
    // bundle must have been built with the same failureConverterPath.
    dataConverter: getDataConverter(),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath, bundlerOptions: { preloadModules: workflowPreloadModules } }),
    ...options.extra,
  });
}

async function main() {
  const config = loadClientConnectConfig();
  const connection = await NativeConnection.connect(config.connectionOptions);
  const taskQueue = process.env.ARAZZO_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;
  // The channel listener proposes messages to waiting runs through a client of its own (same settings).
  const client = new Client({
    connection: await Connection.connect(config.connectionOptions),
    namespace: config.namespace,
    dataConverter: getDataConverter(),
  });
  const channels = startChannelRuntime({
    client,
    log: (level, message) => (level === 'info' ? console.log(message) : console.warn(message)),
  });
  const worker = await createArazzoWorker({ connection, namespace: config.namespace, taskQueue, channels });
  if (!encryptionEnabled()) {
    console.warn(
      'no codec key (ARAZZO_CODEC_KEYS or .secrets/codec-keys.json): payloads are recorded in history UNENCRYPTED',
    );
  }
  // The SDK shuts down gracefully on SIGINT/SIGTERM (it installs those handlers itself).
  console.log(
    `arazzo worker polling task queue "${taskQueue}" on ${config.connectionOptions.address ?? 'localhost:7233'}`,
  );
  try {
    await worker.run();
  } finally {
    await channels.stop();
    await client.connection.close();
    await connection.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
