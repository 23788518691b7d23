// A worker in its own process, so a test can kill it with SIGKILL as a crash would, and start another.
// Configured by environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ARAZZO_TASK_QUEUE,
// ARAZZO_WORKFLOW_BUNDLE (a prebuilt bundle path), plus the worker policy variables (src/activities/config.ts).
//
// Test hook for crashes exactly at a step boundary (bench/reliability.ts): with ARAZZO_TEST_FREEZE_AFTER_STEP=<activity
// id> and ARAZZO_TEST_MARKER_DIR, once that activity has its result the worker writes the result, encoded as the SDK
// would send it, and the task token to <dir>/<activity id>.result.json, then freezes its main thread (no completion
// is sent, no workflow activation is processed) until <dir>/<activity id>.release exists. The harness reports the
// completion itself and then kills this process (the step's completion is in history, the next step is not
// scheduled) or releases it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { encode } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { Client, Connection } from '@temporalio/client';
import { type ActivityInterceptorsFactory, NativeConnection, Runtime } from '@temporalio/worker';
import { startChannelRuntime } from '../../src/channels/runtime.js';
import { getDataConverter } from '../../src/codec/data-converter.js';
import { createArazzoWorker } from '../../src/worker.js';

Runtime.install({
  logger: new (class {
    log() {}
    trace() {}
    debug() {}
    info() {}
    warn() {}
    error(message: string) {
      console.error(`[worker ERROR] ${message}`);
    }
  })(),
});

/** The encoded completion of a frozen activity, as written by the hook (bytes as base64). */
export interface FrozenCompletion {
  taskToken: string;
  payload: { metadata: Record<string, string>; data: string };
}

function freezeAfterActivity(activityId: string, markerDir: string): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const result = await next(input);
        if (ctx.info.activityId !== activityId) return result;
        const [payload] = await encode(getDataConverter().payloadCodecs ?? [], [
          defaultPayloadConverter.toPayload(result),
        ]);
        const b64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
        const frozen: FrozenCompletion = {
          taskToken: b64(ctx.info.taskToken),
          payload: {
            metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
            data: b64(payload.data),
          },
        };
        writeFileSync(join(markerDir, `${activityId}.result.json`), JSON.stringify(frozen), { mode: 0o600 });
        const release = join(markerDir, `${activityId}.release`);
        const cell = new Int32Array(new SharedArrayBuffer(4));
        while (!existsSync(release)) Atomics.wait(cell, 0, 0, 50);
        return result;
      },
    },
  });
}

const env = process.env;
const freezeAfter = env.ARAZZO_TEST_FREEZE_AFTER_STEP;
const markerDir = env.ARAZZO_TEST_MARKER_DIR;
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
// The channel listener (Arazzo 1.1 receive steps), as the real worker runs it (src/worker.ts).
const client = new Client({
  connection: await Connection.connect({ address: env.TEMPORAL_ADDRESS }),
  namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  dataConverter: getDataConverter(),
});
const channels = startChannelRuntime({
  client,
  discoverEveryMs: Number(env.ARAZZO_CHANNEL_DISCOVER_MS ?? 2_000),
  log: (level, message) => console.error(`[channels ${level}] ${message}`),
});
const worker = await createArazzoWorker({
  channels,
  connection,
  namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env.ARAZZO_TASK_QUEUE,
  workflowBundle: env.ARAZZO_WORKFLOW_BUNDLE ? { codePath: env.ARAZZO_WORKFLOW_BUNDLE } : undefined,
  extra:
    freezeAfter && markerDir
      ? { interceptors: { activity: [freezeAfterActivity(freezeAfter, markerDir)] } }
      : undefined,
});
console.log('worker ready');
await worker.run();
await channels.stop();
await client.connection.close();
await connection.close();
