// Connects a test file to the run's shared dev server (see global-setup.ts) and runs real workers.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { getDataConverter, resetDataConverterForTests } from '../../src/codec/data-converter.js';

let runtimeInstalled = false;

/**
 * Every line the worker runtime logged in this test file (all levels, with metadata), so tests can
 * check that no secret reached the logs.
 */
export const workerLogLines: string[] = [];

/** Keep the worker runtime quiet in test output: warnings and errors only (everything is captured). */
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const capture = (level: string, message: string, meta?: unknown) => {
    let metaText = '';
    try {
      metaText = meta === undefined ? '' : ` ${JSON.stringify(meta)}`;
    } catch {
      metaText = ' [meta]';
    }
    workerLogLines.push(`${level} ${message}${metaText}`);
  };
  Runtime.install({
    logger: new (class {
      log(level: string, message: string, meta?: unknown) {
        capture(level, message, meta);
        if (level === 'WARN' || level === 'ERROR') console.warn(`[worker ${level}] ${message}`);
      }
      trace(message: string, meta?: unknown) {
        capture('TRACE', message, meta);
      }
      debug(message: string, meta?: unknown) {
        capture('DEBUG', message, meta);
      }
      info(message: string, meta?: unknown) {
        capture('INFO', message, meta);
      }
      warn(message: string, meta?: unknown) {
        capture('WARN', message, meta);
        console.warn(`[worker WARN] ${message}`);
      }
      error(message: string, meta?: unknown) {
        capture('ERROR', message, meta);
        console.warn(`[worker ERROR] ${message}`);
      }
    })(),
  });
}

/** Encryption on for every e2e test: the run's key (global-setup) through the project's getDataConverter(). */
function useRunCodecKeys() {
  const keys = inject('codecKeys');
  if (keys && process.env.ARAZZO_CODEC_KEYS !== keys) {
    process.env.ARAZZO_CODEC_KEYS = keys;
    resetDataConverterForTests();
  }
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
  useRunCodecKeys();
  const dataConverter = getDataConverter();
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const workflowBundlePath = inject('workflowBundlePath');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace, dataConverter });
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
        dataConverter,
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
