// `arazzo-temporal`: the command-line entry (bin/arazzo-temporal.mjs runs this). Exit codes: 0 ok,
// 1 failure (document errors, refused decision, failed run), 2 usage, 3 run needs attention.
import { CommanderError } from 'commander';
import { describeError, EXIT } from './errors.js';
import { createProgram } from './program.js';
import { packageVersion } from '../project-files.js';

export async function main(argv: string[]): Promise<number> {
  const program = createProgram(packageVersion());
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message (or the help / version).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`${describeError(err, debug)}\n`);
    return (err as { exitCode?: number }).exitCode ?? EXIT.failure;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Lingering handles (gRPC channels, the native runtime) must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
