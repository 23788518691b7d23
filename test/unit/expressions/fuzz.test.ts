// Property-based: parsers return a value or a located error; they never throw and never hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCriterion, evaluateCriterion } from '../../../src/arazzo/criteria/index.js';
import {
  type ExpressionContext,
  evaluateTemplate,
  parseRuntimeExpression,
  parseValueTemplate,
} from '../../../src/arazzo/expressions/index.js';

const pieces = [
  '$',
  '$url',
  '$method',
  '$statusCode',
  '$request.',
  '$response.',
  'header.',
  'query.',
  'path.',
  'body',
  '#',
  '/',
  '~0',
  '~1',
  '~',
  '$inputs.',
  '$outputs.',
  '$steps.',
  '.outputs.',
  '$workflows.',
  '.inputs.',
  '$sourceDescriptions.',
  '$components.',
  'parameters.',
  'a',
  'x-y',
  '0',
  '12',
  '.',
  '{',
  '}',
  '{$',
  ' ',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  '!',
  '(',
  ')',
  '[',
  ']',
  "'",
  "''",
  '"',
  'true',
  'false',
  'null',
  '-',
  '1.5e3',
  '$.',
  '$[?',
  '@.',
  'count(',
  ',',
  '\\',
  '\n',
];
const structured = fc.array(fc.constantFrom(...pieces), { maxLength: 25 }).map((a) => a.join(''));
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), structured);

const context: ExpressionContext = {
  inputs: { a: 1 },
  steps: { a: { outputs: { a: 'x' } } },
  statusCode: 200,
  response: { headers: { a: 'b' }, body: { a: [1, { b: 'c' }] } },
};

function isLocated(e: { message: string; offset: number }, length: number) {
  return (
    typeof e.message === 'string' &&
    e.message.length > 0 &&
    Number.isInteger(e.offset) &&
    e.offset >= 0 &&
    e.offset <= Math.max(length, 4096)
  );
}

describe('fuzz', () => {
  it('parseRuntimeExpression returns a value or a located error', () => {
    fc.assert(
      fc.property(text, (s) => {
        const r = parseRuntimeExpression(s);
        if (r.ok) expect(r.value.kind).toBeTypeOf('string');
        else expect(isLocated(r.error, s.length)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('parseValueTemplate (lenient and strict) returns a template or a located error; evaluation never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.dictionary(fc.string({ maxLength: 5 }), text, { maxKeys: 4 }),
          fc.array(text, { maxLength: 4 }),
        ),
        fc.boolean(),
        (v, strict) => {
          const r = parseValueTemplate(v, { strict });
          if (r.ok) {
            evaluateTemplate(r.value, context);
            for (const w of r.warnings) expect(w.offset).toBeGreaterThanOrEqual(0);
          } else {
            expect(isLocated(r.error, 1_000_000)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('compileCriterion returns a compiled criterion or a located error; evaluation never throws', () => {
    const type = fc.constantFrom(undefined, 'simple', 'regex', 'jsonpath', 'xpath', {
      type: 'jsonpath',
      version: 'draft-goessner-dispatch-jsonpath-00',
    });
    fc.assert(
      fc.property(
        text,
        type,
        fc.constantFrom(undefined, '$response.body', '$statusCode', '$inputs.a'),
        (condition, t, ctx) => {
          const r = compileCriterion({
            condition,
            ...(t ? { type: t as never } : {}),
            ...(ctx ? { context: ctx } : {}),
          });
          if (r.ok) {
            const result = evaluateCriterion(r.value, context);
            expect(typeof result.passed).toBe('boolean');
          } else {
            expect(isLocated(r.error, condition.length)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
