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
