// How the CLI fails: one clear line and, when there is one, a hint. Exit codes are part of the
// interface (scripts and CI branch on them), so they are named here once.
export const EXIT = {
  /** Done: the document is clean, the command did what was asked. */
  ok: 0,
  /** The command ran and the answer is "no": errors in the document, a refused decision, a failed run. */
  failure: 1,
  /** The command line itself is wrong: unknown flag, missing argument, a value that does not parse. */
  usage: 2,
  /** `start --wait` / `approve --wait`: the run stopped and needs an operator's decision (not an approval). */
  attention: 3,
  /** `--wait --timeout`: the time passed before the run finished or waited; the run goes on. */
  timeout: 4,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake on the command line: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, hint, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** The one or two lines printed for an error; the stack only with `--debug`. */
export function describeError(err: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (err instanceof CliError) {
    lines.push(`error: ${err.message}`);
    if (err.hint) lines.push(`hint: ${err.hint}`);
  } else {
    lines.push(`error: ${firstLine(err)}`);
    lines.push('hint: run again with --debug for details');
  }
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  return lines.join('\n');
}

/** The first line of an error's message: SDK and gRPC errors go on for lines a person does not need. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
