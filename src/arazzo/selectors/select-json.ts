// Selecting from JSON values: the jsonpointer and jsonpath expression types of Arazzo 1.1. Kept
// apart from XPath (evaluate-selector.ts) so workflow code, which evaluates workflow outputs, can
// use it without bundling an XML stack. Pure.
import { EvaluationBudget } from '../criteria/budget.js';
import { compileJsonPath, GOESSNER_VERSION, runQuery } from '../criteria/jsonpath.js';
import { getByPointer, parseJsonPointer } from '../expressions/json-pointer.js';
import type { ExpressionType } from './selector-object.js';

export const MAX_SELECTOR_LENGTH = 10_000;

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/** Applies a jsonpointer or jsonpath `selector` to `value`; undefined when it selects nothing. */
export function selectFromJson(value: unknown, selector: string, type: ExpressionType): unknown {
  if (selector.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(`the selector is ${selector.length} characters long; the limit is ${MAX_SELECTOR_LENGTH}`);
  }
  if (value === undefined) return undefined;
  if (type.type === 'jsonpointer') {
    const pointer = parseJsonPointer(selector);
    if (!pointer.ok) throw new SelectorError(`"${selector}" is not a JSON Pointer: ${pointer.error.message}`);
    return getByPointer(structured(value), pointer.tokens);
  }
  if (type.type === 'jsonpath') {
    const compiled = compileJsonPath(selector, type.version === GOESSNER_VERSION ? 'goessner' : 'rfc9535');
    if (!compiled.ok) throw new SelectorError(`"${selector}": ${compiled.error.message}`);
    if (compiled.value.comparison) throw new SelectorError(`"${selector}" is a comparison, not a query`);
    return oneOrMany(runQuery(compiled.value, structured(value), new EvaluationBudget()));
  }
  throw new SelectorError(
    `${type.type} selectors are not evaluated here (only where XML is read: step outputs, parameters, bodies)`,
  );
}

/** JSON text in a context (a body read as text, an output holding JSON) is read as its value. */
function structured(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function oneOrMany(items: unknown[]): unknown {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items;
}
