// Which secret inputs a value written in a document reads: `{$inputs.apiToken}`, a bare `$inputs.apiToken`
// (substituted in lenient mode), or a credential-named member of a structured input
// (`$inputs.config#/apiKey`). Pre-flight and the load activity ask it about identifiers built from
// inputs (the lock key), which must never carry a secret. Pure.
import { unescapePointerToken } from '../document/json-pointer.js';
import { formatRuntimeExpression, parseValueTemplate, templateExpressions } from '../expressions/index.js';
import { isSecretName } from './mask.js';

/** The expressions (canonical text) in `value` that read a secret; `isSecretInput` says which inputs are. */
export function secretInputReads(value: unknown, isSecretInput: (name: string) => boolean): string[] {
  // Lenient parsing finds every expression strict parsing would, and the bare ones too.
  const parsed = parseValueTemplate(value);
  if (!parsed.ok) return [];
  const reads = templateExpressions(parsed.value).flatMap(({ expression }) => {
    if (expression.kind !== 'inputs') return [];
    const member = unescapePointerToken(expression.pointer?.split('/').pop() ?? '');
    return isSecretInput(expression.name) || (member !== '' && isSecretName(member))
      ? [formatRuntimeExpression(expression)]
      : [];
  });
  return [...new Set(reads)];
}
