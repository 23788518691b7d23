// `simple` conditions: a scannerless recursive-descent parser and an evaluator.
//
//   or      := and ( '||' and )*
//   and     := cmp ( '&&' cmp )*
//   cmp     := unary ( ( '==' | '!=' | '<' | '<=' | '>' | '>=' ) unary )?     (not chainable)
//   unary   := '!' unary | postfix
//   postfix := primary ( '[' ( integer | string ) ']' | '.' identifier )*     (only after an expression)
//   primary := '(' or ')' | number | string | 'true' | 'false' | 'null' | runtime-expression
//
// Precedence is `!` > comparison > `&&` > `||`. Strings are single-quoted with `''` as an escaped
// quote (the spec); double-quoted strings (seen in the wild) are accepted with a warning. Runtime
// expressions are operands in bare form (`$response.body#/status == 'ready'`): a JSON Pointer ends
// at whitespace or at one of `()[]=!<>&|'",`.
import {
  type ExpressionContext,
  type ExpressionError,
  type ParseResult,
  type RuntimeExpression,
  evaluateExpression,
  scanRuntimeExpression,
} from '../expressions/index.js';
import type { CriterionResult } from './types.js';
import { type ComparisonOperator, compareValues, describeExpected, mirror, preview, truthy } from './values.js';

export const MAX_CONDITION_LENGTH = 10_000;
export const MAX_NESTING = 64;

export type SimpleNode =
  | { type: 'literal'; value: unknown; start: number; end: number }
  | { type: 'expression'; expression: RuntimeExpression; access: Array<string | number>; start: number; end: number }
  | { type: 'not'; operand: SimpleNode; start: number; end: number }
  | { type: 'compare'; op: ComparisonOperator; left: SimpleNode; right: SimpleNode; start: number; end: number }
  | { type: 'and' | 'or'; left: SimpleNode; right: SimpleNode; start: number; end: number };

const STOP = new Set(['(', ')', '[', ']', '=', '!', '<', '>', '&', '|', "'", '"', ',']);

class Failure {
  constructor(readonly error: ExpressionError) {}
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isWordChar = (c: string | undefined) => isWordStart(c) || isDigit(c) || c === '-';

class Parser {
  pos = 0;
  depth = 0;
  readonly warnings: ExpressionError[] = [];
  constructor(readonly text: string) {}

  fail(message: string, offset: number, hint?: string): never {
    throw new Failure({ message, offset, hint, code: 'condition-syntax', field: 'condition' });
  }

  ws(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  peek(n = 0): string | undefined {
    return this.text[this.pos + n];
  }

  parse(): SimpleNode {
    this.ws();
    if (this.pos >= this.text.length) this.fail('the condition is empty', 0);
    const node = this.or();
    this.ws();
    if (this.pos < this.text.length) {
      const c = this.peek();
      if (c === ')') this.fail('unbalanced `)`', this.pos);
      this.fail(
        `unexpected \`${this.text.slice(this.pos, this.pos + 20)}\``,
        this.pos,
        'combine conditions with `&&` or `||`',
      );
    }
    return node;
  }

  or(): SimpleNode {
    let left = this.and();
    for (;;) {
      this.ws();
      if (this.peek() === '|' && this.peek(1) === '|') {
        this.pos += 2;
        const right = this.and();
        left = { type: 'or', left, right, start: left.start, end: right.end };
      } else if (this.peek() === '|') {
        this.fail('single `|` is not an operator', this.pos, 'did you mean `||`?');
      } else {
        return left;
      }
    }
  }

  and(): SimpleNode {
    let left = this.cmp();
    for (;;) {
      this.ws();
      if (this.peek() === '&' && this.peek(1) === '&') {
        this.pos += 2;
        const right = this.cmp();
        left = { type: 'and', left, right, start: left.start, end: right.end };
      } else if (this.peek() === '&') {
        this.fail('single `&` is not an operator', this.pos, 'did you mean `&&`?');
      } else {
        return left;
      }
    }
  }

  comparator(): ComparisonOperator | undefined {
    this.ws();
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      this.pos += 2;
      return two;
    }
    const c = this.peek();
    if (c === '<' || c === '>') {
      this.pos++;
      return c;
    }
    if (c === '=') this.fail('single `=` is not an operator', this.pos, 'did you mean `==`?');
    return undefined;
  }

  cmp(): SimpleNode {
    const left = this.unary();
    const at = this.pos;
    const op = this.comparator();
    if (!op) return left;
    const right = this.unary();
    const save = this.pos;
    if (this.comparator()) this.fail('comparisons cannot be chained', save + 1, 'combine them with `&&`');
    this.pos = save;
    void at;
    return { type: 'compare', op, left, right, start: left.start, end: right.end };
  }

  unary(): SimpleNode {
    this.ws();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      const start = this.pos;
      this.pos++;
      if (++this.depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`, start);
      const operand = this.unary();
      this.depth--;
      return { type: 'not', operand, start, end: operand.end };
    }
    return this.primary();
  }

  primary(): SimpleNode {
    this.ws();
    const start = this.pos;
    const c = this.peek();
    if (c === undefined) this.fail('expected a value, found the end of the condition', start);
    if (c === '(') {
      if (++this.depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`, start);
      this.pos++;
      const inner = this.or();
      this.ws();
      if (this.peek() !== ')') this.fail('missing `)`', this.pos, `the \`(\` at offset ${start} is not closed`);
      this.pos++;
      this.depth--;
      return { ...inner, start, end: this.pos };
    }
    if (c === "'") return this.singleQuoted();
    if (c === '"') return this.doubleQuoted();
    if (isDigit(c) || ((c === '-' || c === '.') && isDigit(this.peek(1)))) return this.number();
    if (c === '$') return this.expression();
    if (isWordStart(c)) {
      while (isWordChar(this.peek())) this.pos++;
      const word = this.text.slice(start, this.pos);
      if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true', start, end: this.pos };
      if (word === 'null') return { type: 'literal', value: null, start, end: this.pos };
      const lower = word.toLowerCase();
      if (lower === 'true' || lower === 'false' || lower === 'null') {
        this.fail(`unknown word \`${word}\``, start, `literals are lower-case: \`${lower}\``);
      }
      if (word === 'statusCode' || word === 'response' || word === 'request' || word === 'inputs' || word === 'steps') {
        this.fail(`unknown word \`${word}\``, start, `did you mean \`$${word}\`?`);
      }
      this.fail(`unknown word \`${word}\``, start, `string literals are single-quoted: '${word}'`);
    }
    if (c === ')') this.fail('unexpected `)`: expected a value', start);
    this.fail(`unexpected \`${c}\`: expected a value`, start);
  }

  number(): SimpleNode {
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    while (isDigit(this.peek())) this.pos++;
    if (this.peek() === '.') {
      this.pos++;
      if (!isDigit(this.peek())) this.fail('expected digits after `.`', this.pos);
      while (isDigit(this.peek())) this.pos++;
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.pos++;
      if (this.peek() === '+' || this.peek() === '-') this.pos++;
      if (!isDigit(this.peek())) this.fail('expected digits in the exponent', this.pos);
      while (isDigit(this.peek())) this.pos++;
    }
    if (isWordStart(this.peek())) this.fail(`unexpected \`${this.peek()}\` after a number`, this.pos);
    const value = Number(this.text.slice(start, this.pos));
    return { type: 'literal', value, start, end: this.pos };
  }

  singleQuoted(): SimpleNode {
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated string', start, "close it with `'`; write `''` for a quote inside");
      this.pos++;
      if (c === "'") {
        if (this.peek() === "'") {
          value += "'";
          this.pos++;
          continue;
        }
        return { type: 'literal', value, start, end: this.pos };
      }
      value += c;
    }
  }

  doubleQuoted(): SimpleNode {
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated string', start, 'close it with `"`');
      this.pos++;
      if (c === '\\' && (this.peek() === '"' || this.peek() === '\\')) {
        value += this.peek();
        this.pos++;
        continue;
      }
      if (c === '"') {
        this.warnings.push({
          message: 'the spec writes string literals in single quotes; double quotes are accepted',
          offset: start,
          hint: `write '${value.replaceAll("'", "''")}'`,
          code: 'double-quoted-string',
          field: 'condition',
        });
        return { type: 'literal', value, start, end: this.pos };
      }
      value += c;
    }
  }

  expression(): SimpleNode {
    const start = this.pos;
    const scanned = scanRuntimeExpression(this.text, start, { bare: true, stop: (c) => STOP.has(c) });
    if (!scanned.ok) throw new Failure({ ...scanned.error, field: 'condition' });
    this.pos = scanned.end;
    const access: Array<string | number> = [];
    for (;;) {
      const c = this.peek();
      if (c === '[') {
        const open = this.pos;
        this.pos++;
        this.ws();
        if (this.peek() === "'") {
          const key = this.singleQuoted() as { value: string };
          access.push(key.value);
        } else {
          const from = this.pos;
          while (isDigit(this.peek())) this.pos++;
          if (from === this.pos) this.fail('expected an index (0-based integer) or a quoted key', this.pos);
          access.push(Number(this.text.slice(from, this.pos)));
        }
        this.ws();
        if (this.peek() !== ']') this.fail('missing `]`', this.pos, `the \`[\` at offset ${open} is not closed`);
        this.pos++;
      } else if (c === '.' && isWordStart(this.peek(1))) {
        this.pos++;
        const from = this.pos;
        while (isWordChar(this.peek())) this.pos++;
        access.push(this.text.slice(from, this.pos));
      } else {
        break;
      }
    }
    return { type: 'expression', expression: scanned.expression, access, start, end: this.pos };
  }
}

export function parseSimpleCondition(condition: string): ParseResult<SimpleNode> {
  if (typeof condition !== 'string') {
    return {
      ok: false,
      error: { message: 'condition must be a string', offset: 0, field: 'condition', code: 'condition-syntax' },
    };
  }
  if (condition.length > MAX_CONDITION_LENGTH) {
    return {
      ok: false,
      error: {
        message: `condition is ${condition.length} characters long; the limit is ${MAX_CONDITION_LENGTH}`,
        offset: MAX_CONDITION_LENGTH,
        field: 'condition',
        code: 'condition-syntax',
      },
    };
  }
  const parser = new Parser(condition);
  try {
    const node = parser.parse();
    return { ok: true, value: node, warnings: parser.warnings };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.error };
    throw e;
  }
}

function access(value: unknown, path: Array<string | number>): unknown {
  let v = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(v) || key >= v.length) return undefined;
      v = v[key];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
      v = (v as Record<string, unknown>)[key];
    }
  }
  return v;
}

function operandValue(operand: SimpleNode, context: ExpressionContext, text: string): unknown {
  const node = operand;
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'expression':
      return access(evaluateExpression(node.expression, context), node.access);
    default:
      return evaluateSimple(node, context, text).passed;
  }
}

const isValueNode = (n: SimpleNode) => n.type === 'literal' || n.type === 'expression';

/** Evaluates a parsed condition; failures explain themselves (`cond: found X, expected Y`). */
export function evaluateSimple(tree: SimpleNode, context: ExpressionContext, text: string): CriterionResult {
  const node = tree;
  const source = text.slice(node.start, node.end).trim();
  switch (node.type) {
    case 'compare': {
      const l = operandValue(node.left, context, text);
      const r = operandValue(node.right, context, text);
      const passed = compareValues(node.op, l, r);
      if (passed) return { passed, condition: source };
      // Report the runtime side as "found" and the literal side as "expected".
      const flip = node.left.type === 'literal' && node.right.type !== 'literal';
      const found = flip ? r : l;
      const expected = flip ? l : r;
      const op = flip ? mirror(node.op) : node.op;
      const bothRuntime = node.left.type === 'expression' && node.right.type === 'expression';
      const explanation = bothRuntime
        ? `${source}: found ${preview(l)} and ${preview(r)}`
        : `${source}: found ${preview(found)}, expected ${describeExpected(op, expected)}`;
      return { passed, condition: source, explanation, found, expected };
    }
    case 'not': {
      const inner = evaluateSimple(node.operand, context, text);
      if (!inner.passed) return { passed: true, condition: source };
      const operandText = text.slice(node.operand.start, node.operand.end).trim();
      return {
        passed: false,
        condition: source,
        explanation: `${source}: ${operandText} holds`,
        found: inner.found,
      };
    }
    case 'and': {
      const left = evaluateSimple(node.left, context, text);
      if (!left.passed) return { ...left, condition: source };
      const right = evaluateSimple(node.right, context, text);
      return right.passed ? { passed: true, condition: source } : { ...right, condition: source };
    }
    case 'or': {
      const left = evaluateSimple(node.left, context, text);
      if (left.passed) return { passed: true, condition: source };
      const right = evaluateSimple(node.right, context, text);
      if (right.passed) return { passed: true, condition: source };
      return { passed: false, condition: source, explanation: `${left.explanation}; ${right.explanation}` };
    }
    default: {
      if (!isValueNode(node)) return { passed: false, condition: source };
      const v = operandValue(node, context, text);
      const passed = truthy(v);
      return passed
        ? { passed, condition: source, found: v }
        : {
            passed,
            condition: source,
            explanation: `${source}: found ${preview(v)}, expected a true value`,
            found: v,
            expected: true,
          };
    }
  }
}
