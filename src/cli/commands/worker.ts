import { Command, Option } from 'commander';
import { documentRootFrom } from '../project-paths.js';
import { connectionFlags, DOCUMENT_ROOT_HELP, defaultTaskQueue, out, TASK_QUEUE_HELP } from './shared.js';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run the arazzo worker (interpreter workflow + step activities) until Ctrl-C')
    .option('--task-queue <name>', TASK_QUEUE_HELP, defaultTaskQueue())
    .option('--document-root <dir>', DOCUMENT_ROOT_HELP)
    .addOption(
      new Option('--log-level <level>', 'worker log level')
        .choices(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])
        .default('WARN'),
    )
    .addHelpText(
      'after',
      "\nWhat runs may reach is the worker's policy: ARAZZO_ALLOWED_DOCUMENT_HOSTS, ARAZZO_ALLOWED_SERVER_HOSTS (comma lists).",
    )
    .action(async (o: { taskQueue: string; documentRoot?: string; logLevel: 'WARN' }, command: Command) => {
      const { runWorker } = await import('../run-worker.js');
      await runWorker({
        flags: connectionFlags(command),
        taskQueue: o.taskQueue,
        documentRoot: documentRootFrom(o.documentRoot),
        logLevel: o.logLevel,
        out,
      });
    });
}
