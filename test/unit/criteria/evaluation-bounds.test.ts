// No criterion can hold the worker: patterns that backtrack for hours on a backtracking engine answer
// at once on RE2 (in regex criteria and in JSONPath match()/search()), and every evaluation (JSONPath
// in both dialects, XPath, regex) stops with "evaluation budget exceeded" when its work runs out.
// The time limits are the tests' timeouts: each of these took minutes to hours before.
import { describe, expect, it } from 'vitest';
import {
  compileCriterion,
  EVALUATION_BUDGET,
  EvaluationBudget,
  evaluateCriterion,
} from '../../../src/arazzo/criteria/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import type { Criterion } from '../../../src/arazzo/model.js';
import { judgeCriteria } from '../../../src/arazzo/plan/step-execution.js';

const GOESSNER = { type: 'jsonpath' as const, version: 'draft-goessner-dispatch-jsonpath-00' };
const ctx = (body: unknown): ExpressionContext => ({ inputs: {}, steps: {}, response: { headers: {}, body } });

function evaluate(criterion: Omit<Criterion, 'context'>, body: unknown, budget?: EvaluationBudget) {
  const c = compileCriterion({ context: '$response.body', ...criterion } as Criterion);
  if (!c.ok) throw new Error(`${criterion.condition}: ${c.error.message}`);
  return evaluateCriterion(c.value, ctx(body), budget);
}

// Each of these backtracks polynomially or exponentially on a subject of `a`s without the final `b`.
const PATHOLOGICAL = [
  'a*a*a*a*a*a*a*a*a*a*a*a*b',
  '(a*)(a*)(a*)(a*)(a*)(a*)(a*)(a*)(a*)(a*)(a*)(a*)b',
  `${'('.repeat(12)}a*${')*'.repeat(12)}b`,
  '(a*)*b',
  '(a|a)*b',
  '(a+)+b',
];
const aaa = 'a'.repeat(50_000);

describe('backtracking patterns answer at once (RE2)', { timeout: 10_000 }, () => {
  it.each(PATHOLOGICAL)('JSONPath search(@.s, %j) on 50,000 `a`s is false', (pattern) => {
    const r = evaluate({ type: 'jsonpath', condition: `$[?search(@.s, '${pattern}')]` }, [{ s: aaa }]);
    expect(r.passed).toBe(false);
    expect(r.explanation).toContain('selected nothing');
  });

  it.each(PATHOLOGICAL)('JSONPath match(@.s, %j) on 50,000 `a`s is false, and true with the `b`', (pattern) => {
    const condition = `$[?match(@.s, '${pattern}')]`;
    expect(evaluate({ type: 'jsonpath', condition }, [{ s: aaa }]).passed).toBe(false);
    expect(evaluate({ type: 'jsonpath', condition }, [{ s: `${aaa}b` }]).passed).toBe(true);
  });

  it.each(PATHOLOGICAL)('the comparison form with match(@.s, %j) inside its filter', (pattern) => {
    const r = evaluate(
      { type: 'jsonpath', condition: `$.items[?match(@.s, '${pattern}')].s == 'x'` },
      {
        items: [{ s: aaa }],
      },
    );
    expect(r).toMatchObject({ passed: false });
    expect(r.explanation).toContain('found nothing');
  });

  it.each(PATHOLOGICAL)('regex criterion %j on 50,000 `a`s is false', (pattern) => {
    const r = evaluate({ type: 'regex', condition: pattern }, aaa);
    expect(r.passed).toBe(false);
    expect(r.explanation).toContain('expected a match of');
  });

  it('a pattern taken from the response runs on RE2 too', () => {
    const r = evaluate({ type: 'jsonpath', condition: '$[?search(@.s, @.p)]' }, [{ s: aaa, p: '(a*)*b' }]);
    expect(r.passed).toBe(false);
  });
});

describe('every evaluation has a budget', { timeout: 30_000 }, () => {
  const exceeded = expect.stringContaining('evaluation budget exceeded');

  it('RFC 9535: nested descendant queries over a deep document', () => {
    let body: unknown = { leaf: true };
    for (let i = 0; i < 1_000; i++) body = { a: body, n: i };
    const r = evaluate({ type: 'jsonpath', condition: '$..[?@..[?@..[?@..zzz]]]' }, body);
    expect(r).toMatchObject({ passed: false, explanation: exceeded });
    expect(r.explanation).toContain('narrow the context');
  });

  it('RFC 9535: a plain filter over a large array fits', () => {
    const body = Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `n${i}` }));
    expect(evaluate({ type: 'jsonpath', condition: "$[?@.name == 'n49999']" }, body).passed).toBe(true);
  });

  it('Goessner (jsonpath-plus): repeated descendant segments over a deep document', () => {
    let body: unknown = { leaf: true };
    for (let i = 0; i < 400; i++) body = { a: body, b: [i, i + 1] };
    const r = evaluate({ type: GOESSNER, condition: '$..*..*..*..zzz' }, body);
    expect(r).toMatchObject({ passed: false, explanation: exceeded });
  });

  it('Goessner (jsonpath-plus): selections come back as the plain values', () => {
    const body = { book: [{ price: 5, tags: ['a'] }, { price: 20 }] };
    const r = evaluate({ type: GOESSNER, condition: '$.book[?(@.price < 10)]' }, body);
    expect(r).toMatchObject({ passed: true, found: [body.book[0]] });
    expect((r.found as unknown[])[0]).toBe(body.book[0]);
  });

  it('XPath: a predicate that queries the whole document for every node', () => {
    const xml = `<r>${Array.from({ length: 2_000 }, (_, i) => `<i n="${i}">t${i}</i>`).join('')}</r>`;
    const r = evaluate({ type: 'xpath', condition: '//i[count(//i) < 0]' }, xml);
    expect(r).toMatchObject({ passed: false, explanation: exceeded });
  });

  it('XPath: comparing two large node-sets', () => {
    const xml = `<r>${Array.from({ length: 3_000 }, (_, i) => `<i>${i}</i><j>x${i}</j>`).join('')}</r>`;
    const r = evaluate({ type: 'xpath', condition: '//i = //j' }, xml);
    expect(r).toMatchObject({ passed: false, explanation: exceeded });
  });

  it('XPath: an ordinary query fits', () => {
    const xml = `<r>${Array.from({ length: 200 }, (_, i) => `<i n="${i}">t${i}</i>`).join('')}</r>`;
    expect(evaluate({ type: 'xpath', condition: "//i[@n = '150'] = 't150'" }, xml).passed).toBe(true);
  });

  it('regex: a long pattern over a long subject is refused before matching', () => {
    const pattern = `(${Array.from({ length: 500 }, (_, i) => `w${i}`).join('|')})`;
    const r = evaluate({ type: 'regex', condition: pattern }, 'ab'.repeat(500_000));
    expect(r).toMatchObject({ passed: false, explanation: exceeded });
    expect(r.explanation).toContain('1000000 characters');
  });

  it("one step's criteria share one budget: a later criterion finds it spent", () => {
    const budget = new EvaluationBudget(EVALUATION_BUDGET);
    budget.spend(EVALUATION_BUDGET - 1, 'an earlier criterion');
    const verdict = judgeCriteria(
      [{ condition: '$statusCode == 200' }, { context: '$response.body', type: 'regex', condition: 'ok' }],
      { ...ctx('ok'), statusCode: 200 },
      true,
      budget,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.failed).toMatchObject({ condition: 'ok', explanation: exceeded });
  });
});
