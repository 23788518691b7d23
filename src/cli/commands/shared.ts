// What every command shares: repeatable flags, the global connection flags, and a client that is
// always closed.
import { type Command, InvalidArgumentError } from 'commander';
import type { Connected, ConnectionFlags } from '../connect.js';

export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
export const warn = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** For repeatable options: `--input a=1 --input b=2`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Comma lists and repetition both: `--approve-steps a,b --approve-steps c`. */
export const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port (0-65535)');
  return n;
}

export function connectionFlags(command: Command): ConnectionFlags {
  const o = command.optsWithGlobals<ConnectionFlags>();
  return { address: o.address, namespace: o.namespace, profile: o.profile };
}

export async function withClient<T>(command: Command, act: (connected: Connected) => Promise<T>): Promise<T> {
  // Loaded on use: @temporalio/client is slow to import and `check`/`list` never need it.
  const { connectClient } = await import('../connect.js');
  const connected = await connectClient(connectionFlags(command));
  try {
    return await act(connected);
  } finally {
    await connected.close();
  }
}

export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

export const TASK_QUEUE_HELP = 'task queue of the worker (default: ARAZZO_TASK_QUEUE or "arazzo")';
export const DOCUMENT_ROOT_HELP =
  "the worker's document root: the document is sent relative to it (default: ARAZZO_DOCUMENT_ROOT or the project's arazzo/)";
export const defaultTaskQueue = (): string => process.env.ARAZZO_TASK_QUEUE ?? 'arazzo';

/** The flags `start` and `schedule` share to describe one run. */
export interface RunFlags {
  workflow?: string;
  input: string[];
  server: string[];
  approveSteps: string[];
  deliver: string[];
  documentRoot?: string;
}

/**
 * Reads and checks the document and the run's inputs (src/cli/prepare-run.ts) and warns about every
 * secret given in plain text, which would be stored in `storedIn`.
 */
export async function prepareRunFromFlags(document: string, o: RunFlags, storedIn: string) {
  const [{ prepareRun }, { documentRootFrom }] = await Promise.all([
    import('../prepare-run.js'),
    import('../project-paths.js'),
  ]);
  const prepared = await prepareRun({
    document,
    documentRoot: documentRootFrom(o.documentRoot),
    workflowId: o.workflow,
    inputs: o.input,
    servers: o.server,
    approveSteps: o.approveSteps,
    deliver: o.deliver,
  });
  for (const name of prepared.plainSecrets) {
    warn(
      `warning: input ${name} is a secret given in plain text; it is stored in ${storedIn}. Prefer a reference: --input '${name}={"$secret":"env:NAME"}'`,
    );
  }
  return prepared;
}
