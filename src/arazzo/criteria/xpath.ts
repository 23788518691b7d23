// `xpath` criteria over an XML string context, with the `xpath` library and @xmldom/xmldom.
// The spec defaults to XPath 3.1 and allows `xpath-30`/`xpath-20`/`xpath-10`; the library only
// implements XPath 1.0, so all versions get XPath 1.0 semantics and anything that does not parse as
// XPath 1.0 (e.g. `for`/`let`/`if` expressions) is refused at compile time. The result is converted
// with XPath's own `boolean()` rules: a non-empty node-set, a non-zero number, a non-empty string.
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import type { ParseResult } from '../expressions/index.js';
import { BUDGET_HINT, BudgetExceeded, EvaluationBudget } from './budget.js';
import type { CriterionResult } from './types.js';
import { missingContext, preview } from './values.js';

export const XPATH_VERSIONS = ['xpath-10', 'xpath-20', 'xpath-30'] as const;
export const MAX_XML_LENGTH = 5_000_000;
export const MAX_XPATH_LENGTH = 10_000;

// The library's evaluation options: the context node goes under the key `node`.
type XPathOptions = Record<string, unknown>;
const xpathOptions = (contextNode: unknown): XPathOptions => Object.fromEntries([['node', contextNode]]);

interface ParsedXPath {
  evaluateBoolean(options: XPathOptions): boolean;
  evaluateString(options: XPathOptions): string;
}
const parseXPath = (xpath as unknown as { parse(expression: string): ParsedXPath }).parse;

export interface CompiledXPath {
  condition: string;
  expression: ParsedXPath;
}

// ---- the budget ----------------------------------------------------------------------------------
// The xpath library has no hook to bound its work, so the parsed expression (ours, one per compiled
// criterion; the library's shared objects are left alone) is instrumented where XPath 1.0 spends:
// - every node a location step examines goes through its node test: one unit each, and a node that
//   matches also pays for its place in a node-set: the library orders node-sets with xmldom's
//   compareDocumentPosition, which walks ancestor chains and sibling lists (log2(N) comparisons of
//   up to depth + fan-out steps each; measured once per document);
// - a comparison with a node-set compares the string value of each node (each pair for two
//   node-sets): charged before it runs, from the subtree text lengths measured once per document;
// - a function's result is charged by its size (a string's length, a node-set's nodes) as it returns.
// The evaluation is synchronous and not re-entrant, so the budget of the evaluation in progress is
// kept in `active` for the instrumented parts to find.

interface XNodeSetLike {
  size: number;
  toUnsortedArray(): unknown[];
}
interface ExpressionNode {
  evaluate(c: unknown): unknown;
  lhs?: ExpressionNode;
  rhs?: ExpressionNode;
}
// The classes are assigned to the CommonJS exports in bulk, which ESM sees only on `default`.
const lib = ((xpath as unknown as { default?: unknown }).default ?? xpath) as Record<
  string,
  new (
    ...args: never[]
  ) => unknown
> & {
  XNodeSet: new () => XNodeSetLike;
  XString: new () => { stringValue(): string };
};
const COMPARISONS: Array<[string, string]> = [
  ['EqualsOperation', 'equals'],
  ['NotEqualOperation', 'notequal'],
  ['LessThanOperation', 'lessthan'],
  ['GreaterThanOperation', 'greaterthan'],
  ['LessThanOrEqualOperation', 'lessthanorequal'],
  ['GreaterThanOrEqualOperation', 'greaterthanorequal'],
];
const WHAT = 'evaluating the XPath expression';

interface Measured {
  textLength: WeakMap<object, number>;
  /** Units for a node that matches a node test (see above). */
  matchCost: number;
}

let active: ({ budget: EvaluationBudget } & Measured) | undefined;

function charge(units: number) {
  active?.budget.spend(units, WHAT);
}

function nodeSetCost(value: unknown): number {
  if (!(value instanceof lib.XNodeSet)) return 0;
  let cost = 0;
  for (const node of value.toUnsortedArray()) cost += 1 + (active?.textLength.get(node as object) ?? 0);
  return cost;
}

function instrument(root: unknown): void {
  const seen = new WeakSet<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const n = node as Record<string, unknown>;
    if (n instanceof lib.Step) {
      const test = n.nodeTest as { matches(node: unknown, xpc: unknown): boolean };
      const counted = Object.create(test) as typeof test;
      counted.matches = (candidate, xpc) => {
        const matched = test.matches(candidate, xpc);
        charge(matched ? 1 + (active?.matchCost ?? 0) : 1);
        return matched;
      };
      n.nodeTest = counted;
    } else if (n instanceof lib.FunctionCall) {
      const original = (n as unknown as ExpressionNode).evaluate;
      (n as unknown as ExpressionNode).evaluate = function (this: ExpressionNode, c: unknown) {
        const result = original.call(this, c);
        if (result instanceof lib.XNodeSet) charge(1 + result.size);
        else if (result instanceof lib.XString) charge(1 + result.stringValue().length);
        else charge(1);
        return result;
      };
    } else {
      const comparison = COMPARISONS.find(([type]) => n instanceof lib[type]);
      if (comparison) {
        const method = comparison[1];
        (n as unknown as ExpressionNode).evaluate = function (this: ExpressionNode, c: unknown) {
          const l = this.lhs!.evaluate(c);
          const r = this.rhs!.evaluate(c);
          const pairs = l instanceof lib.XNodeSet && r instanceof lib.XNodeSet ? l.size * r.size : 0;
          charge(1 + pairs + nodeSetCost(l) + nodeSetCost(r));
          return (l as Record<string, (other: unknown) => unknown>)[method](r);
        };
      }
    }
    // Own properties, enumerable or not (`parse()` keeps its tree in a non-enumerable `expression`).
    for (const key of Object.getOwnPropertyNames(n)) {
      const value = n[key];
      if (Array.isArray(value)) stack.push(...value);
      else stack.push(value);
    }
  }
}

/**
 * In one walk (one unit per node): the length of the text below each node (its string value's
 * length), and the cost of a node-set place from the node count, depth and widest fan-out.
 */
function measure(document: unknown, budget: EvaluationBudget): Measured {
  interface DomNode {
    nodeType: number;
    data?: string;
    value?: string;
    firstChild: DomNode | null;
    nextSibling: DomNode | null;
    attributes?: { length: number; item(i: number): DomNode };
  }
  const lengths = new WeakMap<object, number>();
  const order: DomNode[] = [];
  const stack: Array<[DomNode, number]> = [[document as DomNode, 0]];
  let depth = 0;
  let fanOut = 0;
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    budget.spend(1, 'measuring the XML document');
    order.push(node);
    depth = Math.max(depth, level);
    let children = 0;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      stack.push([c, level + 1]);
      children++;
    }
    fanOut = Math.max(fanOut, children);
    const attributes = node.attributes;
    for (let i = 0; attributes && i < attributes.length; i++) {
      const a = attributes.item(i);
      lengths.set(a, a.value?.length ?? 0);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let length = node.nodeType === 3 || node.nodeType === 4 ? (node.data?.length ?? 0) : 0;
    for (let c = node.firstChild; c; c = c.nextSibling)
      length += c.nodeType === 1 || c.nodeType === 3 || c.nodeType === 4 ? (lengths.get(c) ?? 0) : 0;
    lengths.set(node, length);
  }
  return { textLength: lengths, matchCost: Math.ceil(Math.log2(order.length + 1)) * (depth + fanOut) };
}

export function compileXPath(condition: string): ParseResult<CompiledXPath> {
  const error = (message: string, offset: number, hint?: string) => ({
    ok: false as const,
    error: { message, offset, hint, code: 'xpath-syntax', field: 'condition' as const },
  });
  if (condition.length > MAX_XPATH_LENGTH)
    return error(`condition is too long (limit ${MAX_XPATH_LENGTH})`, MAX_XPATH_LENGTH);
  if (condition.trim() === '') return error('the condition is empty', 0);
  try {
    const expression = parseXPath(condition);
    instrument(expression);
    return { ok: true, value: { condition, expression }, warnings: [] };
  } catch (e) {
    return error(
      `XPath does not parse: ${e instanceof Error ? e.message : String(e)}`,
      0,
      'only XPath 1.0 syntax is available (the xpath library); rewrite XPath 2.0/3.x constructs',
    );
  }
}

export function evaluateXPath(
  compiled: CompiledXPath,
  value: unknown,
  contextText: string,
  budget: EvaluationBudget = new EvaluationBudget(),
): CriterionResult {
  const condition = compiled.condition;
  if (value === undefined) return missingContext(condition, contextText);
  if (typeof value !== 'string') {
    return {
      passed: false,
      condition,
      explanation: `${condition}: context ${contextText} is not XML text: found ${preview(value)}`,
      found: value,
    };
  }
  if (value.length > MAX_XML_LENGTH) {
    return {
      passed: false,
      condition,
      explanation: `${condition}: context is ${value.length} characters long; the limit is ${MAX_XML_LENGTH}`,
    };
  }
  const problems: string[] = [];
  let document: unknown;
  try {
    document = new DOMParser({
      onError: (level: string, message: string) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(value, 'text/xml');
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (problems.length > 0 || document === undefined) {
    return {
      passed: false,
      condition,
      explanation: `${condition}: context is not well-formed XML: ${problems[0] ?? 'unknown error'}`,
      found: value,
    };
  }
  try {
    active = { budget, ...measure(document, budget) };
    const passed = compiled.expression.evaluateBoolean(xpathOptions(document));
    return passed
      ? { passed, condition }
      : { passed, condition, explanation: `${condition}: evaluated to false on ${preview(value)}`, found: value };
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      return { passed: false, condition, explanation: `${condition}: ${e.message}; ${BUDGET_HINT}` };
    }
    return {
      passed: false,
      condition,
      explanation: `${condition}: evaluation failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  } finally {
    active = undefined;
  }
}
