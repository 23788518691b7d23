// `arazzo-temporal`: the command-line entry (bin/arazzo-temporal.mjs runs this). Exit codes: 0 ok,
// 1 failure (document errors, refused decision, failed run), 2 usage, 3 run needs attention.
import { CommanderError } from 'commander';
import { CliError, describeError, EXIT, firstLine } from './errors.js';
import { createProgram } from './program.js';
import { packageVersion } from '../project-files.js';

export async function main(argv: string[]): Promise<number> {
  const program = createProgram(packageVersion());
  const debug = argv.includes('--debug');
  // With --json, a failure is JSON on stdout too (what a script parses), besides the line on stderr.
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message (or the help / version).
      if (err.exitCode === 0) return EXIT.ok;
      if (json) printJsonError(err.message.replace(/^error: /, ''), undefined, EXIT.usage);
      return EXIT.usage;
    }
    const exitCode = (err as { exitCode?: number }).exitCode ?? EXIT.failure;
    process.stderr.write(`${describeError(err, debug)}\n`);
    if (json) {
      printJsonError(
        err instanceof CliError ? err.message : firstLine(err),
        err instanceof CliError ? err.hint : undefined,
        exitCode,
      );
    }
    return exitCode;
  }
}

function printJsonError(message: string, hint: string | undefined, exitCode: number): void {
  process.stdout.write(`${JSON.stringify({ error: { message, hint, exitCode } }, null, 2)}\n`);
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Lingering handles (gRPC channels, the native runtime) must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
