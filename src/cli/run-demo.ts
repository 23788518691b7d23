// `demo`: the end-to-end rotation of src/demo (simulators, a worker, its own dev server unless one
// answers at TEMPORAL_ADDRESS), started from the CLI.
import { CliError } from './errors.js';

export interface DemoRequest {
  provider: 'prisma' | 'deepgram';
  manual: boolean;
}

export async function runDemoCommand(request: DemoRequest): Promise<void> {
  const { runDemo } = await import('../demo/index.js');
  try {
    await runDemo(request);
  } catch (err) {
    throw new CliError(
      `the demo failed: ${(err as Error).message.split('\n')[0]}`,
      'run again with --debug for details',
    );
  }
}
