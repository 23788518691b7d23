// `worker`: the project's worker (src/worker.ts createArazzoWorker), connected like every other
// command. Documents are read below the document root; Ctrl-C (SIGINT/SIGTERM) stops it gracefully.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { policyFromEnv } from '../activities/config.js';
import { encryptionEnabled } from '../codec/data-converter.js';
import { createArazzoWorker } from '../worker.js';
import { type ConnectionFlags, cannotConnect, connectionSettings } from './connect.js';

export interface WorkerRequest {
  flags: ConnectionFlags;
  taskQueue: string;
  documentRoot: string;
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  out: (line: string) => void;
}

export async function runWorker(request: WorkerRequest): Promise<void> {
  Runtime.install({ logger: new DefaultLogger(request.logLevel) });
  const settings = connectionSettings(request.flags);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(settings.connectionOptions);
  } catch (err) {
    throw cannotConnect(settings.address, err);
  }
  try {
    const worker = await createArazzoWorker({
      connection,
      namespace: settings.namespace,
      taskQueue: request.taskQueue,
      policy: { ...policyFromEnv(), documentRoot: request.documentRoot },
    });
    if (!encryptionEnabled()) {
      process.stderr.write(
        'warning: no codec key (ARAZZO_CODEC_KEYS or .secrets/codec-keys.json): payloads are recorded in history UNENCRYPTED\n',
      );
    }
    request.out(
      `arazzo worker polling task queue "${request.taskQueue}" on ${settings.address} (namespace ${settings.namespace}), documents from ${request.documentRoot}; Ctrl-C stops it`,
    );
    await worker.run();
    request.out('arazzo worker stopped');
  } finally {
    await connection.close();
  }
}
