import { describe, expect, it } from 'vitest';
import {
  type ExpressionContext,
  evaluateTemplate,
  parseValueTemplate,
  templateExpressions,
  unresolvedExpressions,
} from '../../../src/arazzo/expressions/index.js';

const context: ExpressionContext = {
  inputs: { apiToken: 'T0K', apiKey: 'K', n: 5, obj: { a: 1 }, name: 'x' },
  steps: { list: { outputs: { oldConnectionId: 'c-1' } } },
};

function parse(value: unknown, strict = false) {
  const r = parseValueTemplate(value, { strict });
  if (!r.ok) throw new Error(r.error.message);
  return r;
}

describe('parseValueTemplate / evaluateTemplate', () => {
  it('a whole expression keeps its type', () => {
    const r = parse('$inputs.n');
    expect(r.value.kind).toBe('expression');
    expect(evaluateTemplate(r.value, context)).toBe(5);
    expect(evaluateTemplate(parse('$inputs.obj').value, context)).toEqual({ a: 1 });
    expect(r.warnings).toEqual([]);
  });

  it('a whole braced expression keeps its type too', () => {
    expect(evaluateTemplate(parse('{$inputs.n}').value, context)).toBe(5);
  });

  it('embeds braced expressions in strings; `{` without `$` is text', () => {
    const r = parse('id={$inputs.n}&o={$inputs.obj} {literal} }');
    expect(r.value.kind).toBe('template');
    expect(evaluateTemplate(r.value, context)).toBe('id=5&o={"a":1} {literal} }');
    expect(r.warnings).toEqual([]);
  });

  it('literals pass through', () => {
    expect(parse(42).value).toEqual({ kind: 'literal', value: 42 });
    expect(parse('plain text').value).toEqual({ kind: 'literal', value: 'plain text' });
    expect(parse('costs $5').value).toEqual({ kind: 'literal', value: 'costs $5' });
    expect(parse(null).value).toEqual({ kind: 'literal', value: null });
  });

  it('seed (Prisma): lenient `Bearer $inputs.apiToken` substitutes with one warning at offset 7', () => {
    const r = parse('Bearer $inputs.apiToken');
    expect(evaluateTemplate(r.value, context)).toBe('Bearer T0K');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({
      offset: 7,
      code: 'unbraced-expression',
      hint: 'write `Bearer {$inputs.apiToken}`',
    });
  });

  it('seed (Deepgram): `Token $inputs.apiKey`', () => {
    const r = parse('Token $inputs.apiKey');
    expect(evaluateTemplate(r.value, context)).toBe('Token K');
    expect(r.warnings.map((w) => w.offset)).toEqual([6]);
  });

  it('bare tokens end at punctuation and whitespace', () => {
    const r = parse('a $inputs.name, b "$steps.list.outputs.oldConnectionId". $inputs.name.');
    expect(evaluateTemplate(r.value, context)).toBe('a x, b "c-1". x.');
    expect(r.warnings.map((w) => w.offset)).toEqual([2, 19, 57]);
  });

  it('strict mode keeps bare tokens literal, with a warning', () => {
    const r = parse('Bearer $inputs.apiToken', true);
    expect(r.value).toEqual({ kind: 'literal', value: 'Bearer $inputs.apiToken' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].message).toContain('strict mode sends it as literal text');
    expect(r.warnings[0].offset).toBe(7);
  });

  it('strict mode still substitutes braced expressions', () => {
    expect(evaluateTemplate(parse('Bearer {$inputs.apiToken}', true).value, context)).toBe('Bearer T0K');
  });

  it('a `$` that is not an expression root stays text without warning', () => {
    const r = parse('price: $100 or $foo.bar');
    expect(r.value.kind).toBe('literal');
    expect(r.warnings).toEqual([]);
  });

  it('a broken bare expression stays text with a warning', () => {
    const r = parse('x $inputs. y');
    expect(r.value).toEqual({ kind: 'literal', value: 'x $inputs. y' });
    expect(r.warnings[0].offset).toBe(10);
  });

  it('a single mistyped expression is an error, not text', () => {
    const r = parseValueTemplate('$response.body.id');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ offset: 14, hint: 'did you mean `$response.body#/id`?' });
  });

  it('errors inside braces are located in the whole string', () => {
    const r = parseValueTemplate('Bearer {$inputs.}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.offset).toBe(16);
    const u = parseValueTemplate('Bearer {$inputs.x');
    expect(u.ok).toBe(false);
    if (!u.ok)
      expect(u.error).toMatchObject({
        offset: 7,
        message: 'unterminated embedded expression: `{$` without a closing `}`',
      });
  });

  it('absent values: a template with an absent part is absent as a whole', () => {
    expect(evaluateTemplate(parse('Bearer {$inputs.missing}').value, context)).toBeUndefined();
    expect(evaluateTemplate(parse('$inputs.missing').value, context)).toBeUndefined();
  });

  it('walks objects and arrays; absent properties and items are dropped', () => {
    const payload = {
      name: '$inputs.connectionName',
      type: 'prisma',
      n: '$inputs.n',
      list: ['$inputs.name', '$inputs.missing', 1],
      nested: { t: 'Bearer $inputs.apiToken' },
    };
    const r = parse(payload);
    expect(r.value.kind).toBe('object');
    expect(evaluateTemplate(r.value, context)).toEqual({
      type: 'prisma',
      n: 5,
      list: ['x', 1],
      nested: { t: 'Bearer T0K' },
    });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ path: '/nested/t', offset: 7 });
  });

  it('errors in nested values carry a path', () => {
    const r = parseValueTemplate({ a: [{ 'b/c': '$response.body.x' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toBe('/a/0/b~1c');
  });

  it('a `__proto__` key stays data', () => {
    const value = JSON.parse('{"__proto__": "$inputs.name", "k": 1}');
    const out = evaluateTemplate(parse(value).value, context) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'k']);
  });

  it('refuses too-deep nesting', () => {
    let v: unknown = '$inputs.n';
    for (let i = 0; i < 70; i++) v = [v];
    expect(parseValueTemplate(v).ok).toBe(false);
  });

  it('lists expressions and the unresolved ones', () => {
    const t = parse({ a: '$inputs.n', b: 'x {$inputs.gone} $steps.list.outputs.oldConnectionId' }).value;
    expect(templateExpressions(t).map((e) => e.text)).toEqual([
      '$inputs.n',
      '{$inputs.gone}',
      '$steps.list.outputs.oldConnectionId',
    ]);
    expect(unresolvedExpressions(t, context)).toEqual(['$inputs.gone']);
  });
});
