// `xpath` criteria over an XML string context, with the `xpath` library and @xmldom/xmldom.
// The spec defaults to XPath 3.1 and allows `xpath-30`/`xpath-20`/`xpath-10`; the library only
// implements XPath 1.0, so all versions get XPath 1.0 semantics and anything that does not parse as
// XPath 1.0 (e.g. `for`/`let`/`if` expressions) is refused at compile time. The result is converted
// with XPath's own `boolean()` rules: a non-empty node-set, a non-zero number, a non-empty string.
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import type { ParseResult } from '../expressions/index.js';
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

export function compileXPath(condition: string): ParseResult<CompiledXPath> {
  const error = (message: string, offset: number, hint?: string) => ({
    ok: false as const,
    error: { message, offset, hint, code: 'xpath-syntax', field: 'condition' as const },
  });
  if (condition.length > MAX_XPATH_LENGTH)
    return error(`condition is too long (limit ${MAX_XPATH_LENGTH})`, MAX_XPATH_LENGTH);
  if (condition.trim() === '') return error('the condition is empty', 0);
  try {
    return { ok: true, value: { condition, expression: parseXPath(condition) }, warnings: [] };
  } catch (e) {
    return error(
      `XPath does not parse: ${e instanceof Error ? e.message : String(e)}`,
      0,
      'only XPath 1.0 syntax is available (the xpath library); rewrite XPath 2.0/3.x constructs',
    );
  }
}

export function evaluateXPath(compiled: CompiledXPath, value: unknown, contextText: string): CriterionResult {
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
    const passed = compiled.expression.evaluateBoolean(xpathOptions(document));
    return passed
      ? { passed, condition }
      : { passed, condition, explanation: `${condition}: evaluated to false on ${preview(value)}`, found: value };
  } catch (e) {
    return {
      passed: false,
      condition,
      explanation: `${condition}: evaluation failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
