// The flags that describe one run: `start` starts it now, `schedule create` periodically, so both take
// the same flags in the same order (worded a little differently in each --help). `--task-queue` and
// `--document-root` name the worker's, so `worker` takes those two as well: a run and its worker agree.
import { type Command, Option } from 'commander';

export interface RunFlags {
  workflow?: string;
  input: string[];
  server: string[];
  approveSteps: string[];
  deliver: string[];
  id?: string;
  taskQueue: string;
  documentRoot?: string;
}

/** What `start` and `schedule create` say differently about the same flags. */
export interface RunFlagsHelp {
  input: string;
  server: string;
  approveSteps: string;
  /** `--id`: the flag (its value's name differs too) and its description. */
  id: [flags: string, description: string];
}

export function addRunFlags(command: Command, help: RunFlagsHelp): Command {
  return command
    .option('--workflow <id>', 'Arazzo workflowId (default: the first workflow)')
    .option('-i, --input <input>', help.input, collect, [])
    .option('--server <source=url>', help.server, collect, [])
    .option('--approve-steps <stepIds>', help.approveSteps, collectList, [])
    .option(
      '--deliver <output=sink:name>',
      'a secret output the worker delivers (e.g. to a file in its ARAZZO_SECRET_SINK_DIR) instead of recording it (repeatable)',
      collect,
      [],
    )
    .option(...help.id)
    .addOption(taskQueueOption())
    .addOption(documentRootOption());
}

export function taskQueueOption(): Option {
  return new Option('--task-queue <name>', 'task queue of the worker (default: ARAZZO_TASK_QUEUE or "arazzo")').default(
    process.env.ARAZZO_TASK_QUEUE ?? 'arazzo',
  );
}

export function documentRootOption(): Option {
  return new Option(
    '--document-root <dir>',
    "the worker's document root: the document is sent relative to it (default: ARAZZO_DOCUMENT_ROOT or the project's arazzo/)",
  );
}

/** For repeatable options: `--input a=1 --input b=2`. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Comma lists and repetition both: `--approve-steps a,b --approve-steps c`. */
function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
