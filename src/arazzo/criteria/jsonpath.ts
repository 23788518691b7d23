// `jsonpath` criteria.
//
// Root binding: the criterion's `context` value is the query argument `$`; the criterion holds when
// the resulting nodelist is non-empty. One compatibility rule on top, because the spec's own examples
// (`context: $response.body`, `condition: $[?count(@.pets) > 0]`) mean "test the body itself":
// when a query *starts* with a filter selector (`$[?...]`) and the context is an object (not an
// array), the filter is applied to the context value itself (as if it were the only element of an
// array). For array contexts RFC 9535 semantics are unchanged (the filter tests each element).
//
// Comparison form: `<query> <op> <literal>` (e.g. `$.status == "active"`, common in published
// documents although it is not RFC 9535 syntax) queries the context and compares the single result
// with the literal using the same comparison rules as `simple` conditions; zero or several results
// make it false, with an explanation.
//
// RFC 9535 parses with jsonpath-rfc9535 and evaluates in jsonpath-rfc9535.ts (our evaluator over
// the library's syntax tree: `match()`/`search()` on RE2, work charged to the evaluation budget; the
// reasons are there). Goessner's draft (`draft-goessner-dispatch-jsonpath-00`) uses jsonpath-plus with
// `eval: 'safe'` (its own interpreter, never `eval`/`Function`); function calls in Goessner filters are
// refused at compile time, so no regular expression runs there, and the library reads the value
// through a counting view (`countedView`) so that its work is bounded too.
import { JSONPath } from 'jsonpath-plus';
import type { ExpressionError, ParseResult } from '../expressions/index.js';
import { BUDGET_HINT, BudgetExceeded, EvaluationBudget, PROXY_READ_UNITS } from './budget.js';
import { checkFunctions, evaluateRfc9535, parseRfc9535, type Query } from './jsonpath-rfc9535.js';
import type { CriterionResult } from './types.js';
import { type ComparisonOperator, compareValues, describeExpected, missingContext, preview } from './values.js';

export const GOESSNER_VERSION = 'draft-goessner-dispatch-jsonpath-00';
export const MAX_JSONPATH_LENGTH = 10_000;

type Dialect = 'rfc9535' | 'goessner';

export interface CompiledJsonPath {
  dialect: Dialect;
  condition: string;
  /** The query to run (the whole condition, or the left side of the comparison form). */
  query: string;
  comparison?: { op: ComparisonOperator; literal: unknown };
  /** Whether the query begins with a filter selector on the root (see the compatibility rule). */
  rootFilter: boolean;
  /** RFC 9535: the parsed query. */
  ast?: Query;
}

function fail(message: string, offset: number, hint?: string): { ok: false; error: ExpressionError } {
  return { ok: false, error: { message, offset, hint, code: 'jsonpath-syntax', field: 'condition' } };
}

// ---- comparison form ---------------------------------------------------------------------------

/** The first comparison operator outside brackets, parentheses and quotes. */
export function findTopLevelComparison(text: string): { index: number; op: ComparisonOperator } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth === 0) {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') return { index: i, op: two };
      if (c === '<' || c === '>') return { index: i, op: c };
    }
  }
  return undefined;
}

type LiteralParse = { ok: true; value: unknown } | { ok: false; message: string; offset: number };

/** A JSON-ish literal: number, `true`, `false`, `null`, or a single- or double-quoted string. */
export function parseLiteral(text: string): LiteralParse {
  if (text === 'true') return { ok: true, value: true };
  if (text === 'false') return { ok: true, value: false };
  if (text === 'null') return { ok: true, value: null };
  const q = text[0];
  if (q === '"' || q === "'") {
    let value = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i];
      if (c === q) {
        if (q === "'" && text[i + 1] === "'") {
          value += "'";
          i++;
          continue;
        }
        if (i !== text.length - 1) return { ok: false, message: 'unexpected text after the string', offset: i + 1 };
        return { ok: true, value };
      }
      if (c === '\\') {
        const n = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "'": "'",
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (n !== undefined && Object.hasOwn(simple, n)) {
          value += simple[n];
          i++;
          continue;
        }
        if (n === 'u') {
          const hex = text.slice(i + 2, i + 6);
          let valid = hex.length === 4;
          for (const h of hex) if (!'0123456789abcdefABCDEF'.includes(h)) valid = false;
          if (!valid) return { ok: false, message: 'invalid `\\u` escape', offset: i };
          value += String.fromCharCode(Number.parseInt(hex, 16));
          i += 5;
          continue;
        }
        return { ok: false, message: `invalid escape \`\\${n ?? ''}\``, offset: i };
      }
      value += c;
    }
    return { ok: false, message: 'unterminated string', offset: 0 };
  }
  // JSON number grammar, checked by hand.
  let i = 0;
  if (text[i] === '-') i++;
  const intStart = i;
  while (text[i] >= '0' && text[i] <= '9') i++;
  if (i === intStart)
    return { ok: false, message: 'expected a literal: a number, a quoted string, true, false or null', offset: 0 };
  if (text[intStart] === '0' && i - intStart > 1)
    return { ok: false, message: 'numbers cannot have leading zeros', offset: intStart };
  if (text[i] === '.') {
    i++;
    const f = i;
    while (text[i] >= '0' && text[i] <= '9') i++;
    if (f === i) return { ok: false, message: 'expected digits after `.`', offset: i };
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    const e = i;
    while (text[i] >= '0' && text[i] <= '9') i++;
    if (e === i) return { ok: false, message: 'expected digits in the exponent', offset: i };
  }
  if (i !== text.length)
    return { ok: false, message: `unexpected \`${text.slice(i, i + 10)}\` after a number`, offset: i };
  return { ok: true, value: Number(text) };
}

// ---- RFC 9535 -----------------------------------------------------------------------------------

type RfcParse = { ok: true; ast: Query } | { ok: false; message: string; offset: number };

function parseRfc(text: string): RfcParse {
  try {
    return { ok: true, ast: parseRfc9535(text) };
  } catch (e) {
    const err = e as { message?: string; location?: { start?: { offset?: number } } };
    return { ok: false, message: err.message ?? String(e), offset: err.location?.start?.offset ?? 0 };
  }
}

function rfcRootFilter(ast: unknown): boolean {
  const first = (
    ast as { segments?: Array<{ type?: string; node?: { type?: string; selectors?: Array<{ type?: string }> } }> }
  ).segments?.[0];
  return (
    first?.type === 'ChildSegment' &&
    first.node?.type === 'BracketedSelection' &&
    (first.node.selectors ?? []).length > 0 &&
    (first.node.selectors ?? []).every((s) => s.type === 'FilterSelector')
  );
}

// ---- Goessner (jsonpath-plus) -------------------------------------------------------------------

interface JsepNode {
  type?: string;
  [key: string]: unknown;
}
const jsonPathPlus = JSONPath as unknown as {
  toPathArray(path: string): string[];
  prototype: { safeVm: { Script: new (code: string) => { ast: JsepNode } } };
};

function findCall(tree: unknown, depth = 0): boolean {
  const node = tree;
  if (node === null || typeof node !== 'object' || depth > 200) return false;
  if ((node as JsepNode).type === 'CallExpression') return true;
  return Object.values(node).some((v) => findCall(v, depth + 1));
}

type GoessnerParse = { ok: true; rootFilter: boolean } | { ok: false; message: string; offset: number; hint?: string };

function parseGoessner(text: string): GoessnerParse {
  if (text[0] !== '$') return { ok: false, message: 'a JSONPath starts with `$`', offset: 0 };
  // jsonpath-plus splits a path by first swapping its filters for `#0`, `#1`, … and swapping them back
  // afterwards, over the whole text, quoted names included: a `#` and a digit the author wrote is taken for
  // one of those placeholders, so `$[?(@.x)].y#0` would select `$[?(@.x)][?(@.x)]`, and `$.a#1` does not split.
  const reserved = /#\d/u.exec(text);
  if (reserved) {
    return {
      ok: false,
      message: '`#` followed by a digit cannot be used in a Goessner JSONPath: the JSONPath engine reserves it',
      offset: reserved.index,
      hint: 'RFC 9535 JSONPath (`type: jsonpath`, without the draft version) has no such limit',
    };
  }
  let segments: string[];
  try {
    segments = [...jsonPathPlus.toPathArray(text)];
    // Any other text it cannot split yields a missing segment, not an error.
    if (segments.some((s) => typeof s !== 'string')) throw new Error('the path does not split into segments');
  } catch (e) {
    return { ok: false, message: `JSONPath does not parse: ${e instanceof Error ? e.message : String(e)}`, offset: 0 };
  }
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth < 0) return { ok: false, message: `unbalanced \`${c}\``, offset: i };
    }
  }
  if (quote) return { ok: false, message: 'unterminated string', offset: text.length };
  if (depth !== 0) return { ok: false, message: 'unbalanced brackets', offset: text.length };
  for (const segment of segments) {
    const script = segment.startsWith('?(') && segment.endsWith(')') ? segment.slice(2, -1) : undefined;
    if (script === undefined) {
      if (segment.startsWith('(') && segment.endsWith(')')) {
        return {
          ok: false,
          message: 'script expressions `(...)` are not supported',
          offset: Math.max(0, text.indexOf(segment)),
        };
      }
      continue;
    }
    const at = Math.max(0, text.indexOf(script));
    // The same rewriting jsonpath-plus applies before handing a filter to its safe interpreter.
    const code = script
      .replaceAll('@parentProperty', '_$_parentProperty')
      .replaceAll('@parent', '_$_parent')
      .replaceAll('@property', '_$_property')
      .replaceAll('@root', '_$_root')
      .replaceAll('@path', '_$_path')
      .replaceAll(/@([.\s)[])/gu, '_$_v$1');
    let ast: JsepNode;
    try {
      ast = new jsonPathPlus.prototype.safeVm.Script(code).ast;
    } catch (e) {
      return { ok: false, message: `filter does not parse: ${e instanceof Error ? e.message : String(e)}`, offset: at };
    }
    if (findCall(ast)) {
      return {
        ok: false,
        message: 'function and method calls are not allowed in filters',
        offset: at,
        hint: 'use comparisons only, e.g. `?(@.price < 10)`',
      };
    }
  }
  return { ok: true, rootFilter: segments.length > 1 && segments[1].startsWith('?(') };
}

// ---- compile / evaluate -------------------------------------------------------------------------

function parseQuery(
  dialect: Dialect,
  text: string,
): { ok: true; rootFilter: boolean; ast?: Query } | { ok: false; message: string; offset: number; hint?: string } {
  if (dialect === 'goessner') return parseGoessner(text);
  const r = parseRfc(text);
  return r.ok ? { ok: true, rootFilter: rfcRootFilter(r.ast), ast: r.ast } : r;
}

export function compileJsonPath(condition: string, dialect: Dialect): ParseResult<CompiledJsonPath> {
  if (condition.length > MAX_JSONPATH_LENGTH) {
    return fail(
      `condition is ${condition.length} characters long; the limit is ${MAX_JSONPATH_LENGTH}`,
      MAX_JSONPATH_LENGTH,
    );
  }
  // Goessner paths accept almost any text as a member name (`$.status == 'x'` would be one long
  // name), so there a top-level comparison operator decides for the comparison form.
  const whole: ReturnType<typeof parseQuery> =
    dialect === 'goessner' && findTopLevelComparison(condition)
      ? { ok: false, message: 'comparison', offset: 0 }
      : parseQuery(dialect, condition);
  if (whole.ok) {
    if (whole.ast !== undefined) {
      const illTyped = checkFunctions(whole.ast, condition);
      if (illTyped) return { ok: false, error: illTyped };
    }
    return {
      ok: true,
      value: { dialect, condition, query: condition, rootFilter: whole.rootFilter, ast: whole.ast },
      warnings: [],
    };
  }
  const split = findTopLevelComparison(condition);
  if (!split) {
    return fail(`JSONPath does not parse: ${whole.message}`, whole.offset, whole.hint);
  }
  const leftRaw = condition.slice(0, split.index);
  const leftStart = leftRaw.length - leftRaw.trimStart().length;
  const left = leftRaw.trim();
  const left_ = parseQuery(dialect, left);
  if (!left_.ok) {
    return fail(`JSONPath does not parse: ${left_.message}`, leftStart + left_.offset, left_.hint);
  }
  if (left_.ast !== undefined) {
    const illTyped = checkFunctions(left_.ast, condition);
    if (illTyped) return { ok: false, error: illTyped };
  }
  const rightFrom = split.index + split.op.length;
  const rightRaw = condition.slice(rightFrom);
  const rightStart = rightFrom + (rightRaw.length - rightRaw.trimStart().length);
  const literal = parseLiteral(rightRaw.trim());
  if (!literal.ok) {
    return fail(
      `after \`${split.op}\`: ${literal.message}`,
      rightStart + literal.offset,
      'the comparison form is `<jsonpath> <operator> <literal>`, e.g. `$.status == "active"`',
    );
  }
  return {
    ok: true,
    value: {
      dialect,
      condition,
      query: left,
      comparison: { op: split.op, literal: literal.value },
      rootFilter: left_.rootFilter,
      ast: left_.ast,
    },
    warnings: [],
  };
}

/**
 * The value as jsonpath-plus sees it: every object and array behind a Proxy that charges the budget
 * for each property read and each key listed. jsonpath-plus has no hook of its own; this bounds
 * its walk (`$..*..*` over a deep value) without changing what it selects. `unwrap` maps a selected
 * proxy back to the plain value.
 */
function countedView(root: unknown, budget: EvaluationBudget): { root: unknown; unwrap(v: unknown): unknown } {
  const proxies = new WeakMap<object, object>();
  const targets = new WeakMap<object, object>();
  const what = 'evaluating the JSONPath query';
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const known = proxies.get(value);
    if (known) return known;
    const proxy = new Proxy(value, {
      get(target, key) {
        budget.spend(PROXY_READ_UNITS, what);
        const v = Reflect.get(target, key);
        // A frozen property must read as itself (a Proxy invariant); JSON values are never frozen.
        const d = Reflect.getOwnPropertyDescriptor(target, key);
        return d && !d.configurable && !d.writable ? v : wrap(v);
      },
      ownKeys(target) {
        const keys = Reflect.ownKeys(target);
        budget.spend(keys.length * PROXY_READ_UNITS, what);
        return keys;
      },
    });
    proxies.set(value, proxy);
    targets.set(proxy, value);
    return proxy;
  };
  return {
    root: wrap(root),
    unwrap: (v) => (v !== null && typeof v === 'object' ? (targets.get(v) ?? v) : v),
  };
}

export function runQuery(compiled: CompiledJsonPath, root: unknown, budget: EvaluationBudget): unknown[] {
  const input =
    compiled.rootFilter && root !== null && typeof root === 'object' && !Array.isArray(root) ? [root] : root;
  if (compiled.dialect === 'rfc9535') {
    return evaluateRfc9535(compiled.ast ?? parseRfc9535(compiled.query), input, budget);
  }
  const view = countedView(input, budget);
  const result = JSONPath({ path: compiled.query, json: view.root as object, eval: 'safe', wrap: true });
  return Array.isArray(result) ? result.map(view.unwrap) : [];
}

export function evaluateJsonPath(
  compiled: CompiledJsonPath,
  value: unknown,
  contextText: string,
  budget: EvaluationBudget = new EvaluationBudget(),
): CriterionResult {
  const condition = compiled.condition;
  if (value === undefined) return missingContext(condition, contextText);
  let nodes: unknown[];
  try {
    nodes = runQuery(compiled, value, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      return { passed: false, condition, explanation: `${condition}: ${e.message}; ${BUDGET_HINT}` };
    }
    return {
      passed: false,
      condition,
      explanation: `${condition}: the query failed on ${preview(value)}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (!compiled.comparison) {
    return nodes.length > 0
      ? { passed: true, condition, found: nodes }
      : { passed: false, condition, explanation: `${condition}: selected nothing in ${preview(value)}`, found: nodes };
  }
  const { op, literal } = compiled.comparison;
  const expectedText = describeExpected(op, literal);
  if (nodes.length !== 1) {
    return {
      passed: false,
      condition,
      explanation:
        nodes.length === 0
          ? `${condition}: found nothing at ${compiled.query}, expected ${expectedText}`
          : `${condition}: ${compiled.query} selected ${nodes.length} values (${preview(nodes)}), a comparison needs exactly one; expected ${expectedText}`,
      found: nodes.length === 0 ? undefined : nodes,
      expected: literal,
    };
  }
  const found = nodes[0];
  return compareValues(op, found, literal)
    ? { passed: true, condition, found, expected: literal }
    : {
        passed: false,
        condition,
        explanation: `${condition}: found ${preview(found)}, expected ${expectedText}`,
        found,
        expected: literal,
      };
}
