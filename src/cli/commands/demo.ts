// `demo`: the end-to-end rotation of src/demo (simulators, a worker, its own dev server unless one
// answers at TEMPORAL_ADDRESS), started from the CLI.
import { Argument, Command } from 'commander';
import { demoOpening } from '../../demo/opening.js';
import { CliError, firstLine } from '../errors.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('a credential rotation against the provider simulators, end to end, with an approval')
    .addArgument(new Argument('[provider]', 'which rotation').choices(['prisma', 'deepgram']).default('prisma'))
    .option('--manual', 'wait for you to approve (the demo prints the command) instead of approving itself', false)
    .addHelpText(
      'after',
      '\nUses the Temporal server at TEMPORAL_ADDRESS when one answers, otherwise starts its own (and stops it).',
    )
    .action(async (provider: 'prisma' | 'deepgram', o: { manual: boolean }) => {
      process.stdout.write(`${demoOpening(provider)}\n`);
      // Loaded on use, like every command's heavy dependencies (see program.ts), after the first line.
      const { runDemo } = await import('../../demo/index.js');
      try {
        await runDemo({ provider, manual: o.manual });
      } catch (err) {
        throw new CliError(`the demo failed: ${firstLine(err)}`, 'run again with --debug for details');
      }
    });
}
