// A worker in its own process, so a test can kill it with SIGKILL as a crash would, and start another.
// Configured by environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ARAZZO_TASK_QUEUE,
// ARAZZO_WORKFLOW_BUNDLE (a prebuilt bundle path), plus the worker policy variables (src/activities/config.ts).
import { NativeConnection, Runtime } from '@temporalio/worker';
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

const env = process.env;
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const worker = await createArazzoWorker({
  connection,
  namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env.ARAZZO_TASK_QUEUE,
  workflowBundle: env.ARAZZO_WORKFLOW_BUNDLE ? { codePath: env.ARAZZO_WORKFLOW_BUNDLE } : undefined,
});
console.log('worker ready');
await worker.run();
await connection.close();
