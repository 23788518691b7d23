import { Command, Option } from 'commander';
import { documentRootFrom } from '../project-paths.js';
import { connectionFlags } from '../connect.js';
import { out } from '../output.js';
import { documentRootOption, taskQueueOption } from '../run-flags.js';

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
