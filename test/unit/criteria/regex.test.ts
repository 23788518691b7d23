import { describe, expect, it } from 'vitest';
import { compileCriterion, evaluateCriterion } from '../../../src/arazzo/criteria/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';

const ctx = (body: unknown, statusCode = 200): ExpressionContext => ({
  inputs: {},
  steps: {},
  statusCode,
  response: { headers: {}, body },
});

function compile(condition: string, context: string | null = '$response.body') {
  return compileCriterion({ condition, type: 'regex', ...(context ? { context } : {}) });
}

describe('regex criteria', () => {
  it('the spec example: $statusCode against ^200$', () => {
    const c = compile('^200$', '$statusCode');
    if (!c.ok) throw new Error(c.error.message);
    expect(evaluateCriterion(c.value, ctx(null, 200)).passed).toBe(true);
    const r = evaluateCriterion(c.value, ctx(null, 201));
    expect(r).toMatchObject({
      passed: false,
      explanation: '^200$: found 201, expected a match of /^200$/',
      found: 201,
    });
  });

  it('searches (unanchored) in strings; structures match as JSON', () => {
    const c = compile('"status":"ok"');
    if (!c.ok) throw new Error(c.error.message);
    expect(evaluateCriterion(c.value, ctx({ status: 'ok' })).passed).toBe(true);
    const d = compile('(?i)ready');
    if (!d.ok) throw new Error(d.error.message);
    expect(evaluateCriterion(d.value, ctx('all READY now')).passed).toBe(true);
  });

  it('context is required', () => {
    const c = compile('^a$', null);
    expect(c.ok).toBe(false);
    if (!c.ok)
      expect(c.error).toMatchObject({
        field: 'context',
        message: 'a `regex` criterion needs a `context`',
        hint: 'e.g. `context: $statusCode`',
      });
  });

  it('an invalid context expression is a located context error', () => {
    const c = compile('^a$', '$response.body.id');
    expect(c.ok).toBe(false);
    if (!c.ok)
      expect(c.error).toMatchObject({ field: 'context', offset: 14, hint: 'did you mean `$response.body#/id`?' });
  });

  it('a pathological pattern finishes instantly (RE2, linear time)', () => {
    const c = compile('(a+)+$');
    if (!c.ok) throw new Error(c.error.message);
    const started = performance.now();
    const r = evaluateCriterion(c.value, ctx('a'.repeat(50) + '!'));
    expect(r.passed).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    // and with a much longer subject too
    expect(evaluateCriterion(c.value, ctx('a'.repeat(100_000) + '!')).passed).toBe(false);
  });

  it('backreferences and lookaround are compile errors with a hint', () => {
    const b = compile('(a)\\1');
    expect(b.ok).toBe(false);
    if (!b.ok)
      expect(b.error).toMatchObject({ offset: 3, hint: 'repeat the group explicitly instead of referring back to it' });
    for (const [pattern, offset] of [
      ['x(?=a)', 1],
      ['x(?!a)', 1],
      ['(?<=a)b', 0],
      ['(?<!a)b', 0],
    ] as const) {
      const r = compile(pattern);
      expect(r.ok, pattern).toBe(false);
      if (!r.ok) {
        expect(r.error.offset).toBe(offset);
        expect(r.error.message).toContain('lookaround');
      }
    }
  });

  it('other syntax errors are located at the offending fragment', () => {
    const r = compile('ab[c');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('invalid regular expression');
      expect(r.error.offset).toBe(2);
    }
  });

  it('absent context is false with an explanation', () => {
    const c = compile('x', '$response.body#/nope');
    if (!c.ok) throw new Error(c.error.message);
    expect(evaluateCriterion(c.value, ctx({})).explanation).toBe('x: context $response.body#/nope resolved to nothing');
  });
});
