// The demo's first line, printed before anything heavy is loaded: loading the Temporal SDK and the
// worker takes seconds on a busy machine, and a demo that says nothing meanwhile looks hung.
export function demoOpening(provider: 'prisma' | 'deepgram'): string {
  const what = provider === 'prisma' ? 'a Prisma Postgres connection string' : 'a Deepgram API key';
  return `Demo: rotating ${what} at the provider simulator. Loading the Temporal SDK and the worker...`;
}
