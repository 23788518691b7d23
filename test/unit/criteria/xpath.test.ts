import { describe, expect, it } from 'vitest';
import { compileCriterion, evaluateCriterion } from '../../../src/arazzo/criteria/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import type { Criterion } from '../../../src/arazzo/model.js';

const xml = '<order><status>placed</status><item id="1"/><item id="2"/></order>';
const ctx = (body: unknown): ExpressionContext => ({ inputs: {}, steps: {}, response: { headers: {}, body } });
function run(condition: string, body: unknown, type: Criterion['type'] = 'xpath') {
  const c = compileCriterion({ condition, context: '$response.body', type });
  if (!c.ok) throw new Error(c.error.message);
  return evaluateCriterion(c.value, ctx(body));
}

describe('xpath criteria (XPath 1.0 semantics)', () => {
  it('boolean, node-set, number and string results', () => {
    expect(run("/order/status = 'placed'", xml).passed).toBe(true);
    expect(run("/order/status = 'shipped'", xml)).toMatchObject({ passed: false });
    expect(run('/order/item[@id="2"]', xml).passed).toBe(true);
    expect(run('/order/item[@id="3"]', xml).passed).toBe(false);
    expect(run('count(/order/item)', xml).passed).toBe(true);
    expect(run('count(/order/missing)', xml).passed).toBe(false);
  });
  it('versions xpath-10/20/30 are accepted; others refused', () => {
    for (const version of ['xpath-10', 'xpath-20', 'xpath-30']) {
      expect(run('/order', xml, { type: 'xpath', version }).passed).toBe(true);
    }
    const c = compileCriterion({
      condition: '/a',
      context: '$response.body',
      type: { type: 'xpath', version: 'xpath-31' },
    });
    expect(c.ok).toBe(false);
  });
  it('XPath 2.0+ constructs and broken syntax are compile errors', () => {
    for (const condition of ['for $x in /a return $x', '/order/item[', '']) {
      const c = compileCriterion({ condition, context: '$response.body', type: 'xpath' });
      expect(c.ok, condition).toBe(false);
      if (!c.ok && condition !== '') expect(c.error.hint).toContain('XPath 1.0');
    }
  });
  it('non-XML contexts fail with an explanation', () => {
    expect(run('/a', '<a><b></a>').explanation).toContain('not well-formed XML');
    expect(run('/a', { a: 1 }).explanation).toContain('is not XML text');
    expect(run('/a', undefined).explanation).toBe('/a: context $response.body resolved to nothing');
  });
});
