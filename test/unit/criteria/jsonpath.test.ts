import { describe, expect, it } from 'vitest';
import { compileCriterion, evaluateCriterion } from '../../../src/arazzo/criteria/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import type { Criterion } from '../../../src/arazzo/model.js';

const GOESSNER = { type: 'jsonpath' as const, version: 'draft-goessner-dispatch-jsonpath-00' };
const ctx = (body: unknown): ExpressionContext => ({ inputs: {}, steps: {}, response: { headers: {}, body } });

function check(criterion: Partial<Criterion>, body: unknown) {
  const c = compileCriterion({ context: '$response.body', type: 'jsonpath', ...criterion } as Criterion);
  if (!c.ok) throw new Error(`${criterion.condition}: ${c.error.message}`);
  return evaluateCriterion(c.value, ctx(body));
}
function compileError(condition: string, type: Criterion['type'] = 'jsonpath') {
  const c = compileCriterion({ condition, context: '$response.body', type });
  if (c.ok) throw new Error(`expected ${condition} not to compile`);
  return c.error;
}

describe('jsonpath: the Prisma seed comparison form', () => {
  const condition = '$.status == "active"';
  it('against {status: "active"} → true', () => {
    expect(check({ condition }, { status: 'active' })).toMatchObject({
      passed: true,
      found: 'active',
      expected: 'active',
    });
  });
  it('against {data: {status: "ready"}} → false, found nothing', () => {
    const r = check({ condition }, { data: { status: 'ready' } });
    expect(r.passed).toBe(false);
    expect(r.found).toBeUndefined();
    expect(r.explanation).toBe('$.status == "active": found nothing at $.status, expected "active"');
  });
  it('against {status: "ready"} → false with found/expected', () => {
    const r = check({ condition }, { status: 'ready' });
    expect(r.explanation).toBe('$.status == "active": found "ready", expected "active"');
  });
  it('several results → false with an explanation', () => {
    const r = check({ condition: '$..status == "active"' }, { status: 'active', inner: { status: 'active' } });
    expect(r.passed).toBe(false);
    expect(r.explanation).toContain('selected 2 values');
  });
  it('other operators and literals', () => {
    expect(check({ condition: '$.count > 0' }, { count: 3 }).passed).toBe(true);
    expect(check({ condition: "$.name == 'x'" }, { name: 'X' }).passed).toBe(true);
    expect(check({ condition: '$.ok != true' }, { ok: true }).passed).toBe(false);
    expect(check({ condition: '$.v == null' }, { v: null }).passed).toBe(true);
    expect(check({ condition: '$.items.length >= 1' }, { items: { length: 2 } }).passed).toBe(true);
  });
});

describe('jsonpath: RFC 9535 queries', () => {
  it('non-empty nodelist is true, and the context is the root', () => {
    expect(check({ condition: '$.data[0].id' }, { data: [{ id: 1 }] }).passed).toBe(true);
    const r = check({ condition: '$.data[5]' }, { data: [] });
    expect(r.passed).toBe(false);
    expect(r.explanation).toBe('$.data[5]: selected nothing in {"data":[]}');
  });
  it('spec examples: a leading filter on an object context tests the context itself', () => {
    expect(check({ condition: '$[?count(@.pets) > 0]' }, { pets: [1] }).passed).toBe(true);
    expect(check({ condition: '$[?count(@.pets) > 0]' }, { cats: [] }).passed).toBe(false);
    expect(check({ condition: '$[?count(@.pets[*]) > 0]' }, { pets: [] }).passed).toBe(false);
    expect(check({ condition: '$[?@.access_token != null]' }, { access_token: 'x', token_type: 'bearer' }).passed).toBe(
      true,
    );
    expect(check({ condition: '$[?@.access_token != null]' }, { access_token: null }).passed).toBe(false);
    // RFC 9535: an absent member is Nothing, and Nothing != null holds; `$[?@.access_token]` tests existence.
    expect(check({ condition: '$[?@.access_token != null]' }, { token_type: 'bearer' }).passed).toBe(true);
    expect(check({ condition: '$[?@.access_token]' }, { token_type: 'bearer' }).passed).toBe(false);
  });
  it('on an array context a leading filter tests each element (RFC semantics)', () => {
    expect(check({ condition: '$[?@.ok == true]' }, [{ ok: false }, { ok: true }]).passed).toBe(true);
    expect(check({ condition: '$[?@.ok == true]' }, [{ ok: false }]).passed).toBe(false);
  });
  it('a condition that does not parse is a located compile error, never a silent false', () => {
    const e = compileError('$.a[?@.x ==]');
    expect(e.message).toContain('JSONPath does not parse');
    expect(e.offset).toBe(11);
    expect(compileError('$.a ==').offset).toBe(6);
    expect(compileError('$.a == active').message).toContain('after `==`');
    expect(compileError('status == "x"').offset).toBe(0);
  });
  it('match() tests the whole string, search() any part of it (I-Regexp, on RE2)', () => {
    expect(check({ condition: "$[?match(@.s, 'a.c')]" }, [{ s: 'abc' }]).passed).toBe(true);
    expect(check({ condition: "$[?match(@.s, 'b')]" }, [{ s: 'abc' }]).passed).toBe(false);
    expect(check({ condition: "$[?search(@.s, 'b')]" }, [{ s: 'abc' }]).passed).toBe(true);
    // I-Regexp's `.` is any character but LF and CR (RE2's alone would match CR).
    expect(check({ condition: "$[?match(@.s, 'a.c')]" }, [{ s: 'a\rc' }]).passed).toBe(false);
    expect(check({ condition: "$[?match(@.s, 'a[.]c')]" }, [{ s: 'a.c' }, { s: 'abc' }]).found).toEqual([{ s: 'a.c' }]);
    // A pattern taken from the document runs on RE2 too; one RE2 cannot compile is false (RFC 9535 §2.4.6).
    expect(check({ condition: '$[?search(@.s, @.p)]' }, [{ s: 'abc', p: 'b+' }]).passed).toBe(true);
    expect(check({ condition: '$[?search(@.s, @.p)]' }, [{ s: 'aa', p: '(a)\\1' }]).passed).toBe(false);
  });
  it('context resolving to nothing', () => {
    const c = compileCriterion({ condition: '$.a', context: '$response.body#/x', type: 'jsonpath' });
    if (!c.ok) throw new Error('compile');
    expect(evaluateCriterion(c.value, ctx({})).explanation).toBe('$.a: context $response.body#/x resolved to nothing');
  });
  it('context is required for typed criteria', () => {
    const c = compileCriterion({ condition: '$.a', type: 'jsonpath' });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatchObject({ field: 'context', message: 'a `jsonpath` criterion needs a `context`' });
  });
});

describe('jsonpath: Goessner draft (jsonpath-plus, safe mode)', () => {
  it('filters', () => {
    const body = { book: [{ price: 5 }, { price: 20 }] };
    expect(check({ condition: '$.book[?(@.price < 10)]', type: GOESSNER }, body).passed).toBe(true);
    expect(check({ condition: '$.book[?(@.price < 1)]', type: GOESSNER }, body).passed).toBe(false);
  });
  it('comparison form', () => {
    expect(check({ condition: "$.status == 'active'", type: GOESSNER }, { status: 'active' }).passed).toBe(true);
    expect(check({ condition: "$.status == 'active'", type: GOESSNER }, { status: 'ready' }).explanation).toBe(
      `$.status == 'active': found "ready", expected "active"`,
    );
  });
  it('filter syntax errors and calls are compile errors', () => {
    expect(compileError('$.a[?(@.x <)]', GOESSNER).message).toContain('filter does not parse');
    expect(compileError('$.a[?(@.x.constructor("x"))]', GOESSNER).message).toContain(
      'function and method calls are not allowed in filters',
    );
    expect(compileError('$.a[(@.length-1)]', GOESSNER).message).toContain('script expressions');
    expect(compileError('$.a[?(@.x', GOESSNER).message).toContain('unbalanced');
  });
  it('`#` and a digit (jsonpath-plus placeholders) are refused, where they are, not misread', () => {
    // Found by the fuzz test: `$#1.5e3` made jsonpath-plus return a missing segment, and compiling threw.
    for (const [condition, offset] of [
      ['$#1.5e3', 1],
      ['$[?(@.x)].y#0', 11],
      ["$['a#2']", 4],
    ] as const) {
      const e = compileError(condition, GOESSNER);
      expect(e.message).toContain('`#` followed by a digit');
      expect(e.hint).toContain('RFC 9535');
      expect(e.offset).toBe(offset);
    }
    expect(check({ condition: '$.a#b', type: GOESSNER }, { 'a#b': 1 }).passed).toBe(true);
  });
  it('unknown versions are refused', () => {
    const c = compileCriterion({
      condition: '$.a',
      context: '$response.body',
      type: { type: 'jsonpath', version: 'rfc9535' },
    });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatchObject({ field: 'type', message: 'unsupported JSONPath version `rfc9535`' });
  });
});

describe('criterion types', () => {
  it('unknown type', () => {
    const c = compileCriterion({ condition: 'x', type: 'jsonpat' as never, context: '$response.body' });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatchObject({ field: 'type', hint: 'did you mean `jsonpath`?' });
  });
  it('missing condition', () => {
    const c = compileCriterion({} as Criterion);
    expect(c.ok).toBe(false);
  });
});
