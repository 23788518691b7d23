// `npm run demo [-- deepgram] [-- --manual] [-- --arazzo-1.1]`
import { demoOpening } from './opening.js';

const args = process.argv.slice(2);
const provider = args.includes('deepgram') ? 'deepgram' : 'prisma';
const unknown = args.filter((a) => !['deepgram', 'prisma', '--manual', '--arazzo-1.1'].includes(a));
if (unknown.length) {
  console.error(
    `unknown argument(s): ${unknown.join(' ')}\nusage: npm run demo [-- deepgram] [-- --manual] [-- --arazzo-1.1]`,
  );
  process.exit(2);
}
console.log(demoOpening(provider));
try {
  // Loaded after the first line (opening.ts says why).
  const { runDemo } = await import('./demo.js');
  await runDemo({ provider, manual: args.includes('--manual'), arazzo: args.includes('--arazzo-1.1') ? '1.1' : '1.0' });
  process.exit(0);
} catch (err) {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
