// RFC 9535 JSONPath: the jsonpath-rfc9535 parser, and this evaluator over its syntax tree.
//
// Why not the library's own `query()`: it evaluates `match()`/`search()` with JavaScript's
// backtracking RegExp, where one pattern can hold the worker's main thread for hours, and it offers no
// way to change that. Its function table is built inside `exec()` (no registration or override), and
// the package exports only `query`/`paths`/`exec` and `./parser`, so its visitors cannot be reused with
// other functions either. Nor can its work be bounded: it walks the value with no hook. So we keep
// the library for the hard, well-tested part, the grammar, and evaluate the tree here (a few hundred
// lines, RFC 9535 §2), with `match()`/`search()` on RE2 (iregexp.ts) and every node visited charged
// to the evaluation budget. The compliance test suite shipped with the library checks this evaluator
// (test/unit/criteria/jsonpath-rfc9535.test.ts).
//
// Also here: the well-typedness rules of §2.4.3, so an ill-typed filter (an unknown function, a wrong
// argument count, `match(...) == true`) is a compile error instead of a filter that is always false.
import parseRfcJsonPath from 'jsonpath-rfc9535/parser';
import type { ExpressionError } from '../expressions/index.js';
import { type EvaluationBudget, JSON_NODE_UNITS } from './budget.js';
import { compileIRegexp, type IRegexp, iregexpMatches, regexCost } from './iregexp.js';
import { MAX_PATTERN_LENGTH } from './regex.js';

// ---- the syntax tree (jsonpath-rfc9535/parser exports only its root type) -----------------------

export interface Query {
  type: 'JsonPathQuery' | 'RelQuery' | 'RelSingularQuery' | 'AbsSingularQuery';
  segments: Segment[];
}
interface Segment {
  type: 'ChildSegment' | 'DescendantSegment' | 'SingularQuerySegment';
  node: Selector | { type: 'BracketedSelection'; selectors: Selector[] };
}
type Selector =
  | { type: 'NameSelector' | 'MemberNameShorthand'; value: string }
  | { type: 'WildcardSelector' }
  | { type: 'IndexSelector'; value?: number; selector?: { value: number } }
  | { type: 'SliceSelector'; start: number | null; end: number | null; step: number | null }
  | { type: 'FilterSelector'; value: Expr };
type Expr =
  | { type: 'LogicalOrExpr' | 'LogicalAndExpr'; left: Expr; right: Expr }
  | { type: 'LogicalNotExpr'; expression: Expr }
  | { type: 'TestExpr'; expression: Expr }
  | { type: 'ComparisonExpr'; left: Expr; right: Expr; op: '==' | '!=' | '<' | '<=' | '>' | '>=' }
  | { type: 'FilterQuery'; value: Query }
  | { type: 'FunctionExpr'; name: string; arguments: Expr[] | null }
  | { type: 'Literal'; value: string | number | boolean | null }
  | Query;

export function parseRfc9535(text: string): Query {
  return parseRfcJsonPath(text) as unknown as Query;
}

// ---- well-typedness (RFC 9535 §2.4.3) -----------------------------------------------------------

type FnType = 'ValueType' | 'LogicalType' | 'NodesType';
const FUNCTIONS: Record<string, { params: FnType[]; result: FnType } | undefined> = {
  length: { params: ['ValueType'], result: 'ValueType' },
  count: { params: ['NodesType'], result: 'ValueType' },
  match: { params: ['ValueType', 'ValueType'], result: 'LogicalType' },
  search: { params: ['ValueType', 'ValueType'], result: 'LogicalType' },
  value: { params: ['NodesType'], result: 'ValueType' },
};

const signatureOf = (name: string) => (Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined);

function isSingular(query: Query): boolean {
  return query.segments.every((segment) => {
    if (segment.type === 'DescendantSegment') return false;
    const node = segment.node;
    if (node.type === 'MemberNameShorthand' || node.type === 'NameSelector' || node.type === 'IndexSelector')
      return true;
    return (
      node.type === 'BracketedSelection' &&
      node.selectors.length === 1 &&
      (node.selectors[0].type === 'NameSelector' || node.selectors[0].type === 'IndexSelector')
    );
  });
}

/**
 * The first ill-typed function use or refused match()/search() pattern, located at the function's
 * name in `condition` (the n-th occurrence for the n-th call of that name).
 */
export function checkFunctions(ast: Query, condition: string): ExpressionError | undefined {
  const seen = new Map<string, number>();
  const locate = (name: string): number => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    let at = -1;
    for (let i = 0; i <= n; i++) {
      at = condition.indexOf(`${name}(`, at + 1);
      if (at < 0) return 0;
    }
    return at;
  };
  const fail = (message: string, offset: number, hint?: string): ExpressionError => ({
    message,
    offset,
    hint,
    code: 'jsonpath-syntax',
    field: 'condition',
  });

  const argumentFits = (arg: Expr, want: FnType): boolean => {
    if (arg.type === 'FunctionExpr') {
      const result = signatureOf(arg.name)?.result;
      return want === 'LogicalType' ? result === 'LogicalType' || result === 'NodesType' : result === want;
    }
    if (want === 'ValueType') return arg.type === 'Literal' || (arg.type === 'FilterQuery' && isSingular(arg.value));
    if (want === 'NodesType') return arg.type === 'FilterQuery';
    return arg.type !== 'Literal';
  };

  const visitFunction = (fn: Extract<Expr, { type: 'FunctionExpr' }>, usedAs: 'test' | 'comparable' | 'argument') => {
    const at = locate(fn.name);
    const args = fn.arguments ?? [];
    const signature = signatureOf(fn.name);
    if (!signature) {
      return fail(
        `unknown function \`${fn.name}()\``,
        at,
        `the functions of RFC 9535 are ${Object.keys(FUNCTIONS).join(', ')}`,
      );
    }
    if (args.length !== signature.params.length) {
      return fail(
        `\`${fn.name}()\` takes ${signature.params.length} argument${signature.params.length > 1 ? 's' : ''}, found ${args.length}`,
        at,
      );
    }
    if (usedAs === 'test' && signature.result === 'ValueType') {
      return fail(
        `\`${fn.name}()\` returns a value, which cannot stand alone in a filter`,
        at,
        `compare it, e.g. \`${fn.name}(…) > 0\``,
      );
    }
    if (usedAs === 'comparable' && signature.result !== 'ValueType') {
      return fail(
        `\`${fn.name}()\` is a test and cannot be compared`,
        at,
        `write \`?${fn.name}(…)\` or \`?!${fn.name}(…)\``,
      );
    }
    for (const [i, arg] of args.entries()) {
      const want = signature.params[i];
      if (!argumentFits(arg, want)) {
        const what = {
          ValueType: 'a value (a literal or a singular query such as `@.name`)',
          NodesType: 'a query',
          LogicalType: 'a test',
        }[want];
        return fail(`argument ${i + 1} of \`${fn.name}()\` must be ${what}`, at);
      }
    }
    const pattern = args[1]?.type === 'Literal' ? args[1].value : undefined;
    if (fn.name === 'match' || fn.name === 'search') {
      if (typeof pattern === 'string') {
        const compiled = compileIRegexp(pattern);
        if (!compiled.ok) {
          return fail(
            `\`${fn.name}()\` pattern \`${pattern}\` is refused: ${compiled.error.message}`,
            at,
            compiled.error.hint,
          );
        }
      }
    }
    for (const [i, arg] of args.entries()) {
      const found = visit(arg, signature.params[i] === 'LogicalType' ? 'logical' : 'argument');
      if (found) return found;
    }
    return undefined;
  };

  const visit = (
    node: Expr | Query | Segment | Segment['node'],
    as: 'logical' | 'argument' = 'logical',
  ): ExpressionError | undefined => {
    switch (node.type) {
      case 'FunctionExpr':
        return visitFunction(node, as === 'argument' ? 'argument' : 'test');
      case 'TestExpr':
        return node.expression.type === 'FunctionExpr'
          ? visitFunction(node.expression, 'test')
          : visit(node.expression);
      case 'ComparisonExpr':
        for (const side of [node.left, node.right]) {
          const found = side.type === 'FunctionExpr' ? visitFunction(side, 'comparable') : visit(side);
          if (found) return found;
        }
        return undefined;
      case 'LogicalOrExpr':
      case 'LogicalAndExpr':
        return visit(node.left) ?? visit(node.right);
      case 'LogicalNotExpr':
        return visit(node.expression);
      case 'FilterQuery':
        return visit(node.value);
      case 'JsonPathQuery':
      case 'RelQuery':
      case 'RelSingularQuery':
      case 'AbsSingularQuery':
        for (const segment of node.segments) {
          const found = visit(segment);
          if (found) return found;
        }
        return undefined;
      case 'ChildSegment':
      case 'DescendantSegment':
      case 'SingularQuerySegment':
        return visit(node.node);
      case 'BracketedSelection':
        for (const selector of node.selectors) {
          const found = visit(selector);
          if (found) return found;
        }
        return undefined;
      case 'FilterSelector':
        return visit(node.value);
      case 'IndexSelector':
      case 'SliceSelector': {
        // I-JSON integers only (§2.1): ±(2^53 − 1).
        const values =
          node.type === 'IndexSelector' ? [node.value ?? node.selector?.value] : [node.start, node.end, node.step];
        for (const v of values) {
          if (v !== null && v !== undefined && !Number.isSafeInteger(v)) {
            return fail(
              `${v} is outside the integers JSONPath allows (±(2^53 − 1))`,
              Math.max(0, condition.indexOf(String(v))),
            );
          }
        }
        return undefined;
      }
      default:
        return undefined;
    }
  };
  return visit(ast);
}

// ---- evaluation (RFC 9535 §2.3–2.5) -------------------------------------------------------------

const NOTHING: unique symbol = Symbol('Nothing');
type Value = unknown;
class Nodes {
  constructor(readonly values: Value[]) {}
}

interface Run {
  root: Value;
  budget: EvaluationBudget;
  patterns: Map<string, IRegexp | null>;
}

const isObject = (v: Value): v is Record<string, Value> => v !== null && typeof v === 'object' && !Array.isArray(v);

const WHAT = 'evaluating the JSONPath query';

/** Charges `nodes` node operations. */
function spend(run: Run, nodes: number) {
  run.budget.spend(nodes * JSON_NODE_UNITS, WHAT);
}

/** Charges `chars` characters compared, counted or compiled. */
function spendChars(run: Run, chars: number) {
  run.budget.spend(chars, WHAT);
}

/** The values a query selects from `start` (`@` or `$`). */
function select(run: Run, segments: Segment[], start: Value): Value[] {
  let current: Value[] = [start];
  for (const segment of segments) {
    const next: Value[] = [];
    for (const value of current) {
      if (segment.type !== 'DescendantSegment') {
        applySelection(run, segment.node, value, next);
        continue;
      }
      // The value, then its descendants in document order (an explicit stack: no recursion limit).
      const stack: Value[] = [value];
      while (stack.length > 0) {
        const v = stack.pop();
        spend(run, 1);
        applySelection(run, segment.node, v, next);
        if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
        else if (isObject(v)) {
          const keys = Object.keys(v);
          for (let i = keys.length - 1; i >= 0; i--) stack.push(v[keys[i]]);
        }
      }
    }
    current = next;
  }
  return current;
}

function applySelection(run: Run, node: Segment['node'], value: Value, out: Value[]) {
  if (node.type === 'BracketedSelection') {
    for (const selector of node.selectors) applySelector(run, selector, value, out);
  } else {
    applySelector(run, node, value, out);
  }
}

function applySelector(run: Run, selector: Selector, value: Value, out: Value[]) {
  switch (selector.type) {
    case 'NameSelector':
    case 'MemberNameShorthand':
      if (isObject(value) && Object.hasOwn(value, selector.value)) {
        spend(run, 1);
        out.push(value[selector.value]);
      }
      return;
    case 'WildcardSelector': {
      const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
      spend(run, children.length);
      for (const child of children) out.push(child);
      return;
    }
    case 'IndexSelector': {
      if (!Array.isArray(value)) return;
      const index = selector.value ?? selector.selector?.value ?? 0;
      const i = index < 0 ? value.length + index : index;
      if (i >= 0 && i < value.length) {
        spend(run, 1);
        out.push(value[i]);
      }
      return;
    }
    case 'SliceSelector': {
      if (!Array.isArray(value)) return;
      const len = value.length;
      const step = selector.step ?? 1;
      if (step === 0) return;
      const norm = (i: number) => (i >= 0 ? i : len + i);
      const start = selector.start ?? (step > 0 ? 0 : len - 1);
      const end = selector.end ?? (step > 0 ? len : -len - 1);
      if (step > 0) {
        const lower = Math.min(Math.max(norm(start), 0), len);
        const upper = Math.min(Math.max(norm(end), 0), len);
        for (let i = lower; i < upper; i += step) {
          spend(run, 1);
          out.push(value[i]);
        }
      } else {
        const upper = Math.min(Math.max(norm(start), -1), len - 1);
        const lower = Math.min(Math.max(norm(end), -1), len - 1);
        for (let i = upper; lower < i; i += step) {
          spend(run, 1);
          out.push(value[i]);
        }
      }
      return;
    }
    case 'FilterSelector': {
      const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
      for (const child of children) {
        spend(run, 1);
        if (test(run, selector.value, child)) out.push(child);
      }
      return;
    }
  }
}

function queryFrom(run: Run, query: Query, current: Value): Value[] {
  const start = query.type === 'JsonPathQuery' || query.type === 'AbsSingularQuery' ? run.root : current;
  return select(run, query.segments, start);
}

function test(run: Run, expr: Expr, current: Value): boolean {
  switch (expr.type) {
    case 'LogicalOrExpr':
      return test(run, expr.left, current) || test(run, expr.right, current);
    case 'LogicalAndExpr':
      return test(run, expr.left, current) && test(run, expr.right, current);
    case 'LogicalNotExpr':
      return !test(run, expr.expression, current);
    case 'TestExpr':
      return test(run, expr.expression, current);
    case 'ComparisonExpr':
      return compare(run, comparable(run, expr.left, current), comparable(run, expr.right, current), expr.op);
    case 'FilterQuery':
      return queryFrom(run, expr.value, current).length > 0;
    case 'FunctionExpr': {
      const result = call(run, expr, current);
      return result instanceof Nodes ? result.values.length > 0 : result === true;
    }
    default:
      return false;
  }
}

/** A comparable: a literal, a singular query (its value or Nothing) or a ValueType function result. */
function comparable(run: Run, expr: Expr, current: Value): Value {
  switch (expr.type) {
    case 'Literal':
      return expr.value;
    case 'RelSingularQuery':
    case 'AbsSingularQuery':
    case 'JsonPathQuery':
    case 'RelQuery': {
      const nodes = queryFrom(run, expr, current);
      return nodes.length === 1 ? nodes[0] : NOTHING;
    }
    case 'FunctionExpr': {
      const result = call(run, expr, current);
      return result instanceof Nodes ? NOTHING : result;
    }
    default:
      return NOTHING;
  }
}

function argument(run: Run, expr: Expr, want: FnType, current: Value): Value {
  if (want === 'LogicalType') return test(run, expr, current);
  if (expr.type === 'FilterQuery') {
    const nodes = queryFrom(run, expr.value, current);
    if (want === 'NodesType') return new Nodes(nodes);
    return nodes.length === 1 ? nodes[0] : NOTHING;
  }
  if (expr.type === 'FunctionExpr') return call(run, expr, current);
  if (expr.type === 'Literal') return expr.value;
  return NOTHING;
}

function call(run: Run, fn: Extract<Expr, { type: 'FunctionExpr' }>, current: Value): Value {
  const signature = signatureOf(fn.name);
  const params = fn.arguments ?? [];
  if (!signature || signature.params.length !== params.length) return false;
  const args = params.map((a, i) => argument(run, a, signature.params[i], current));
  switch (fn.name) {
    case 'length': {
      const [v] = args;
      if (typeof v === 'string') {
        spendChars(run, v.length);
        let n = 0;
        for (const _ of v) n++;
        return n;
      }
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      return NOTHING;
    }
    case 'count':
      return (args[0] as Nodes).values.length;
    case 'value': {
      const { values } = args[0] as Nodes;
      return values.length === 1 ? values[0] : NOTHING;
    }
    case 'match':
    case 'search': {
      const [subject, pattern] = args;
      if (typeof subject !== 'string' || typeof pattern !== 'string') return false;
      let re = run.patterns.get(pattern);
      if (re === undefined) {
        // A pattern from the document is compiled once per evaluation; one RE2 cannot express is false (§2.4.6).
        spendChars(run, pattern.length);
        const compiled = pattern.length <= MAX_PATTERN_LENGTH ? compileIRegexp(pattern) : undefined;
        re = compiled?.ok ? compiled.value : null;
        run.patterns.set(pattern, re);
      }
      if (re === null) return false;
      run.budget.spend(regexCost(pattern, subject), `matching ${fn.name}() pattern /${pattern}/`);
      return iregexpMatches(re, subject, fn.name === 'match');
    }
    default:
      return false;
  }
}

// Comparisons (§2.3.5.2.2).

function deepEqual(run: Run, a: Value, b: Value): boolean {
  spend(run, 1);
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(run, a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!Object.hasOwn(b, k) || !deepEqual(run, a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Strings order by Unicode scalar values, which is not UTF-16 code-unit order above U+FFFF. */
function stringLess(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i].codePointAt(0) ?? 0) < (y[i].codePointAt(0) ?? 0);
  }
  return x.length < y.length;
}

function less(run: Run, a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    spendChars(run, Math.min(a.length, b.length));
    return stringLess(a, b);
  }
  return false;
}

function compare(run: Run, a: Value, b: Value, op: '==' | '!=' | '<' | '<=' | '>' | '>='): boolean {
  const equal = () => (a === NOTHING || b === NOTHING ? a === b : deepEqual(run, a, b));
  switch (op) {
    case '==':
      return equal();
    case '!=':
      return !equal();
    case '<':
      return less(run, a, b);
    case '<=':
      return less(run, a, b) || equal();
    case '>':
      return less(run, b, a);
    case '>=':
      return less(run, b, a) || equal();
  }
}

/** Evaluates a parsed query with `root` as `$`; throws BudgetExceeded when the work runs out. */
export function evaluateRfc9535(ast: Query, root: Value, budget: EvaluationBudget): Value[] {
  return select({ root, budget, patterns: new Map() }, ast.segments, root);
}
