// The command tree. Each command is one file in commands/ with its flags and its action; what several
// commands share (connecting, the run flags, preparing and following a run, printing) is beside this
// file, one concept a file. Every command is built here so that `--help` can list it, so a command
// imports its heavy parts (the Temporal SDK, the Arazzo validator, the dev server) inside its action:
// `--help` and `check` must not pay for what only `start` or `worker` use.
import { Command, type Option } from 'commander';
import { approverCommand } from './commands/approver.js';
import { cancelCommand } from './commands/cancel.js';
import { checkCommand } from './commands/check.js';
import { approveCommand, rejectCommand } from './commands/decide.js';
import { demoCommand } from './commands/demo.js';
import { historyCommand } from './commands/history.js';
import { listCommand } from './commands/list.js';
import { manageCommand } from './commands/manage.js';
import { managedCommand } from './commands/managed.js';
import { runsCommand } from './commands/runs.js';
import { scheduleCommand } from './commands/schedule.js';
import { serverCommand } from './commands/server.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { workerCommand } from './commands/worker.js';

export function createProgram(version: string): Command {
  const program = new Command('arazzo-temporal')
    .description('Run Arazzo 1.0.x workflows as durable Temporal workflows (credential rotations).')
    .version(version)
    .option('--address <host:port>', 'Temporal frontend (default: TEMPORAL_ADDRESS, the profile, localhost:7233)')
    .option('--namespace <name>', 'Temporal namespace (default: TEMPORAL_NAMESPACE, the profile, "default")')
    .option('--profile <name>', 'temporal.toml profile (default: TEMPORAL_PROFILE, "default")')
    .option(
      '--connect-timeout <duration>',
      'how long to wait for the Temporal frontend to answer, e.g. 30s (default: ARAZZO_CONNECT_TIMEOUT, 5s)',
    )
    .option('--debug', 'print stack traces with errors', false)
    .addHelpText(
      'after',
      '\nConnection settings are read like the `temporal` CLI does: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,\nTEMPORAL_API_KEY, TLS variables, and profiles in temporal.toml (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE).',
    );
  // Settings subcommands inherit: usage errors throw (main maps them to exit 2) with a hint.
  program
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ optionDescription: describeOption });
  for (const command of [
    checkCommand(),
    listCommand(),
    startCommand(),
    approveCommand(),
    rejectCommand(),
    statusCommand(),
    cancelCommand(),
    runsCommand(),
    historyCommand(),
    workerCommand(),
    serverCommand(),
    manageCommand(),
    managedCommand(),
    scheduleCommand(),
    demoCommand(),
    approverCommand(),
  ]) {
    program.addCommand(inherit(command, program));
  }
  return program;
}

/**
 * An option's help line without repeated defaults: commander's "(default: ...)" only when the text does
 * not already say its default, and never for off switches and empty lists.
 */
function describeOption(option: Option): string {
  const value = option.defaultValue as unknown;
  const trivial = value === undefined || value === false || (Array.isArray(value) && value.length === 0);
  const extra: string[] = [];
  if (option.argChoices) extra.push(`choices: ${option.argChoices.map((c) => JSON.stringify(c)).join(', ')}`);
  if (!trivial && !/\bdefault\b/i.test(option.description)) {
    extra.push(`default: ${option.defaultValueDescription ?? JSON.stringify(value)}`);
  }
  return extra.length ? `${option.description} (${extra.join(', ')})` : option.description;
}

/** addCommand() does not copy settings (command() does): exitOverride and the help hint go down the tree. */
function inherit(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inherit(sub, command);
  return command;
}
