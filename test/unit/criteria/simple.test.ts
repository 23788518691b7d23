import { describe, expect, it } from 'vitest';
import { compileCriterion, evaluateCriterion } from '../../../src/arazzo/criteria/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import type { Criterion } from '../../../src/arazzo/model.js';

const context: ExpressionContext = {
  statusCode: 200,
  inputs: { flag: true, zero: 0, name: "O'Brien" },
  steps: { a: { outputs: { n: 2, s: '10', on: 'TRUE', items: [{ name: 'first' }] } } },
  response: {
    headers: { 'X-Count': '7', 'Content-Type': 'application/json' },
    body: {
      data: { status: 'Ready' },
      existingCustomerNotEligible: false,
      redirectAuthToken: null,
      big: 'x'.repeat(1000),
    },
  },
};

function run(condition: string, ctx: ExpressionContext = context) {
  const c = compileCriterion({ condition } as Criterion);
  if (!c.ok) throw new Error(`${condition}: ${c.error.message} @${c.error.offset}`);
  return evaluateCriterion(c.value, ctx);
}
function compileError(condition: string) {
  const c = compileCriterion({ condition } as Criterion);
  if (c.ok) throw new Error(`expected ${condition} not to compile`);
  return c.error;
}

describe('simple conditions: evaluation', () => {
  it.each([
    ['$statusCode == 200', true],
    ['$statusCode == 201', false],
    ['$statusCode == 200 || $statusCode == 201', true],
    ["$response.body#/data/status == 'ready'", true], // case-insensitive
    ["$response.body#/data/status != 'READY'", false],
    ['$response.body#/existingCustomerNotEligible == false', true],
    ['$response.body#/redirectAuthToken == null', true],
    ['$response.body#/missing == null', true], // absent compares as null
    ['$response.body#/redirectAuthToken != null', false],
    ['$steps.a.outputs.n > 3', false],
    ['$steps.a.outputs.n < 3', true],
    ['$steps.a.outputs.n >= 2 && $steps.a.outputs.n <= 2', true],
    ['$steps.a.outputs.s == 10', true], // numeric string vs number
    ['$steps.a.outputs.s > 9', true],
    ["$steps.a.outputs.s > '9'", false], // both strings: lexicographic
    ['$steps.a.outputs.on == true', true], // "TRUE" vs boolean
    ['$response.header.x-count == 7', true],
    ["$inputs.name == 'o''brien'", true],
    ['$inputs.name == "O\'Brien"', true],
    ['!($statusCode == 201)', true],
    ['!$inputs.flag', false],
    ['!$inputs.zero', true],
    ['$inputs.flag', true],
    ['true && !false', true],
    ['null == null', true],
    ['1 == true', false],
    ['null < 1', false],
    ["$steps.a.outputs.items[0].name == 'FIRST'", true],
    ["$steps.a.outputs.items[0]['name'] == 'first'", true],
    ["$response.body.data.status == 'ready'", true],
    ['$steps.a.outputs.items[3].name == null', true],
    ['-1.5e1 < -10', true],
    ['200 == $statusCode', true],
  ])('%s → %s', (condition, expected) => {
    expect(run(condition).passed).toBe(expected);
  });

  it('precedence: ! > comparison > && > ||', () => {
    expect(run('true || false && false').passed).toBe(true); // true || (false && false)
    expect(run('(true || false) && false').passed).toBe(false);
    expect(run('!true == false').passed).toBe(true); // (!true) == false
  });
});

describe('simple conditions: explanations', () => {
  it('$statusCode == 201: found 200, expected 201', () => {
    expect(run('$statusCode == 201')).toEqual({
      passed: false,
      condition: '$statusCode == 201',
      explanation: '$statusCode == 201: found 200, expected 201',
      found: 200,
      expected: 201,
    });
  });
  it('orders found/expected when the literal is on the left', () => {
    expect(run('201 < $statusCode').explanation).toBe('201 < $statusCode: found 200, expected > 201');
  });
  it('!= and ordering', () => {
    expect(run('$statusCode != 200').explanation).toBe('$statusCode != 200: found 200, expected not 200');
    expect(run('$steps.a.outputs.n > 3').explanation).toBe('$steps.a.outputs.n > 3: found 2, expected > 3');
  });
  it('strings are quoted; absent is "nothing"', () => {
    expect(run("$response.body#/data/status == 'done'").explanation).toBe(
      `$response.body#/data/status == 'done': found "Ready", expected "done"`,
    );
    expect(run("$response.body#/nope == 'x'").explanation).toBe(
      `$response.body#/nope == 'x': found nothing, expected "x"`,
    );
  });
  it('&& explains the failing side; || explains both', () => {
    expect(run('$statusCode == 200 && $steps.a.outputs.n == 3').explanation).toBe(
      '$steps.a.outputs.n == 3: found 2, expected 3',
    );
    expect(run('$statusCode == 201 || $statusCode == 202').explanation).toBe(
      '$statusCode == 201: found 200, expected 201; $statusCode == 202: found 200, expected 202',
    );
  });
  it('negation and lone operands', () => {
    expect(run('!$inputs.flag').explanation).toBe('!$inputs.flag: $inputs.flag holds');
    expect(run('$inputs.zero').explanation).toBe('$inputs.zero: found 0, expected a true value');
  });
  it('truncates huge found values at 200 characters', () => {
    const r = run("$response.body#/big == 'y'");
    const found = r.explanation!.split('found ')[1].split(', expected')[0];
    expect(found.length).toBe(201);
    expect(found.endsWith('…')).toBe(true);
  });
});

describe('simple conditions: compile errors', () => {
  it.each([
    ['', 'the condition is empty', 0, undefined],
    ['$statusCode = 200', 'single `=` is not an operator', 12, 'did you mean `==`?'],
    ['$statusCode == 200 & true', 'single `&` is not an operator', 19, 'did you mean `&&`?'],
    ['$statusCode == 200 | true', 'single `|` is not an operator', 19, 'did you mean `||`?'],
    ['$statusCode == active', 'unknown word `active`', 15, "string literals are single-quoted: 'active'"],
    ['statusCode == 200', 'unknown word `statusCode`', 0, 'did you mean `$statusCode`?'],
    ['$statusCode == TRUE', 'unknown word `TRUE`', 15, 'literals are lower-case: `true`'],
    ["$inputs.a == 'open", 'unterminated string', 13, "close it with `'`; write `''` for a quote inside"],
    ['($statusCode == 200', 'missing `)`', 19, 'the `(` at offset 0 is not closed'],
    ['$statusCode == 200)', 'unbalanced `)`', 18, undefined],
    ['1 < 2 < 3', 'comparisons cannot be chained', 6, 'combine them with `&&`'],
    ['$statusCode ==', 'expected a value, found the end of the condition', 14, undefined],
    ['$statusCode 200', 'unexpected `200`', 12, 'combine conditions with `&&` or `||`'],
    ['1.', 'expected digits after `.`', 2, undefined],
    ['$respons.body == 1', 'unknown runtime expression `$respons`', 0, 'did you mean `$response`?'],
  ])('%j', (condition, message, offset, hint) => {
    const e = compileError(condition);
    expect(e.message).toBe(message);
    expect(e.offset).toBe(offset);
    expect(e.hint).toBe(hint);
    expect(e.field).toBe('condition');
  });

  it('double-quoted strings compile with a warning', () => {
    const c = compileCriterion({ condition: '$inputs.x == "a"' });
    expect(c.ok).toBe(true);
    if (c.ok) expect(c.warnings[0]).toMatchObject({ code: 'double-quoted-string', offset: 13, hint: "write 'a'" });
  });

  it('guards nesting and length', () => {
    expect(compileError('('.repeat(100) + '1' + ')'.repeat(100)).message).toContain('nested deeper');
    expect(compileError('!'.repeat(100) + 'true').message).toContain('nested deeper');
    expect(compileError('1 == 1 && '.repeat(2000) + '1').message).toContain('limit');
  });
});
