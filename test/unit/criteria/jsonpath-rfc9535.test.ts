// Our RFC 9535 evaluator (src/arazzo/criteria/jsonpath-rfc9535.ts) against the JSONPath Compliance
// Test Suite that jsonpath-rfc9535 ships (the library's own test input): every valid selector gives the
// expected nodelist (or one of the allowed orders), every invalid one is refused at compile time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvaluationBudget } from '../../../src/arazzo/criteria/budget.js';
import { compileJsonPath } from '../../../src/arazzo/criteria/jsonpath.js';
import { evaluateRfc9535 } from '../../../src/arazzo/criteria/jsonpath-rfc9535.js';

interface Case {
  name: string;
  selector: string;
  document?: unknown;
  result?: unknown[];
  results?: unknown[][];
  invalid_selector?: boolean;
}

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('jsonpath-rfc9535/package.json'));
const cts = JSON.parse(
  readFileSync(join(packageDir, 'src/__tests__/jsonpath-compliance-test-suite/cts.json'), 'utf8'),
) as { tests: Case[] };

/** The query as our compiler sees it (its AST), evaluated with RFC semantics (no root-filter rule). */
function run(selector: string, document: unknown): { ok: true; nodes: unknown[] } | { ok: false; message: string } {
  const compiled = compileJsonPath(selector, 'rfc9535');
  if (!compiled.ok) return { ok: false, message: compiled.error.message };
  if (compiled.value.comparison) return { ok: false, message: 'comparison form' };
  return { ok: true, nodes: evaluateRfc9535(compiled.value.ast!, document, new EvaluationBudget()) };
}

describe('RFC 9535 evaluator: the JSONPath Compliance Test Suite', () => {
  it('has the suite', () => {
    expect(cts.tests.length).toBeGreaterThan(600);
  });
  const valid = cts.tests.filter((t) => !t.invalid_selector);
  const invalid = cts.tests.filter((t) => t.invalid_selector);

  it.each(valid.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    const r = run(t.selector, t.document);
    if (!r.ok) throw new Error(`${t.selector} was refused: ${r.message}`);
    if (t.result) expect(r.nodes).toEqual(t.result);
    else expect(t.results).toContainEqual(r.nodes);
  });

  it.each(invalid.map((t) => [t.name, t] as const))('invalid: %s', (_name, t) => {
    expect(run(t.selector, t.document ?? {}).ok).toBe(false);
  });
});
