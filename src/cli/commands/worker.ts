// `worker`: the project's worker (src/worker.ts createArazzoWorker), connected like every other
// command. Documents are read below the document root; Ctrl-C (SIGINT/SIGTERM) stops it gracefully.
// Like `npm run worker`, it runs the channel runtime (Kafka binding and the listener that feeds runs waiting
// in Arazzo 1.1 `receive` steps), through a client of its own on the same settings.
import { Command, Option } from 'commander';
import { connectFailure, connectionFlags, connectionSettings } from '../connect.js';
import { out, warn } from '../output.js';
import { documentRootFrom } from '../project-paths.js';
import { documentRootOption, taskQueueOption } from '../run-flags.js';

interface WorkerFlags {
  taskQueue: string;
  documentRoot?: string;
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('run the arazzo worker (interpreter workflow + step activities) until Ctrl-C')
    .addOption(taskQueueOption())
    .addOption(documentRootOption())
    .addOption(
      new Option('--log-level <level>', 'worker log level')
        .choices(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])
        .default('WARN'),
    )
    .addHelpText(
      'after',
      "\nWhat runs may reach is the worker's policy: ARAZZO_ALLOWED_DOCUMENT_HOSTS, ARAZZO_ALLOWED_SERVER_HOSTS (comma lists);\nARAZZO_ALLOW_LOCK_KEY_OVERRIDE=1 lets a run's lock.key replace its document's x-lock-key (refused by default).",
    )
    .action(async (o: WorkerFlags, command: Command) => {
      // Loaded on use, like every command's heavy dependencies (see program.ts).
      const [
        { DefaultLogger, NativeConnection, Runtime },
        { policyFromEnv },
        { encryptionEnabled, getDataConverter },
        { createArazzoWorker },
        { Client, Connection },
        { startChannelRuntime },
      ] = await Promise.all([
        import('@temporalio/worker'),
        import('../../activities/config.js'),
        import('../../codec/data-converter.js'),
        import('../../worker.js'),
        import('@temporalio/client'),
        import('../../channels/runtime.js'),
      ]);
      const documentRoot = documentRootFrom(o.documentRoot);
      Runtime.install({ logger: new DefaultLogger(o.logLevel) });
      const settings = connectionSettings(connectionFlags(command));
      let connection: Awaited<ReturnType<typeof NativeConnection.connect>>;
      try {
        connection = await NativeConnection.connect(settings.connectionOptions);
      } catch (err) {
        throw await connectFailure(settings.address, err);
      }
      const clientConnection = await Connection.connect(settings.connectionOptions);
      const channels = startChannelRuntime({
        client: new Client({
          connection: clientConnection,
          namespace: settings.namespace,
          dataConverter: getDataConverter(),
        }),
        log: (level, message) => (level === 'info' ? out(message) : warn(message)),
      });
      try {
        const policy = { ...policyFromEnv(), documentRoot };
        const worker = await createArazzoWorker({
          connection,
          namespace: settings.namespace,
          taskQueue: o.taskQueue,
          policy,
          channels,
        });
        if (!encryptionEnabled()) {
          warn(
            'warning: no codec key (ARAZZO_CODEC_KEYS or .secrets/codec-keys.json): payloads are recorded in history UNENCRYPTED',
          );
        }
        out(
          `arazzo worker polling task queue "${o.taskQueue}" on ${settings.address} (namespace ${settings.namespace}), documents from ${documentRoot}; Ctrl-C stops it`,
        );
        out(
          policy.approvals
            ? `approval policy ${process.env.ARAZZO_APPROVAL_POLICY}: ${policy.approvals.approvers.length} approvers; decisions must be signed`
            : 'no approval policy (ARAZZO_APPROVAL_POLICY): approvals are NOT authenticated',
        );
        await worker.run();
        out('arazzo worker stopped');
      } finally {
        await channels.stop();
        await clientConnection.close();
        await connection.close();
      }
    });
}
