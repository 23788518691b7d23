import { Argument, Command } from 'commander';

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
      const { runDemoCommand } = await import('../run-demo.js');
      await runDemoCommand({ provider, manual: o.manual });
    });
}
