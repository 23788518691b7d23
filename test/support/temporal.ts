// Connects a test file to the run's shared dev server (see global-setup.ts) and runs real workers.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';

let runtimeInstalled = false;

/** Keep the worker runtime quiet in test output: warnings and errors only. */
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new (class {
      log(level: string, message: string) {
        if (level === 'WARN' || level === 'ERROR') console.warn(`[worker ${level}] ${message}`);
      }
      trace() {}
      debug() {}
      info() {}
      warn(message: string) {
        console.warn(`[worker WARN] ${message}`);
      }
      error(message: string) {
        console.warn(`[worker ERROR] ${message}`);
      }
    })(),
  });
}

export interface TemporalTestEnv {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  namespace: string;
  address: string;
  uiUrl: string;
  workflowBundlePath: string;
  /** A task queue name no other test uses. */
  uniqueTaskQueue(prefix?: string): string;
  createWorker(
    options: Omit<WorkerOptions, 'connection' | 'namespace' | 'workflowBundle' | 'workflowsPath'>,
  ): Promise<Worker>;
  close(): Promise<void>;
}

export async function connectTestEnv(): Promise<TemporalTestEnv> {
  installQuietRuntime();
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const workflowBundlePath = inject('workflowBundlePath');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    client,
    connection,
    nativeConnection,
    namespace,
    address,
    uiUrl: inject('temporalUiUrl'),
    workflowBundlePath,
    uniqueTaskQueue: (prefix = 'test') => `${prefix}-${randomUUID()}`,
    createWorker: (options) =>
      Worker.create({
        ...options,
        connection: nativeConnection,
        namespace,
        workflowBundle: { codePath: workflowBundlePath },
      }),
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
