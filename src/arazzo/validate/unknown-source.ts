// A step (operation or channel) that names a source description the document does not have: one finding,
// worded the same for every kind of step, with the closest source name as the hint.
import { didYouMean } from './did-you-mean.js';
import type { RuleContext } from './rule-context.js';

export function reportUnknownSource(
  ctx: RuleContext,
  at: { field: string; written: string; sourceName: string | undefined; pointer: string },
): void {
  const names = Object.keys(ctx.set.sources);
  ctx.report({
    code: 'unknown-source',
    message: `${at.field} "${at.written}" names source "${at.sourceName}", which is not a source description`,
    hint: didYouMean(at.sourceName ?? '', names, `sources: ${names.join(', ')}`),
    pointer: at.pointer,
  });
}
