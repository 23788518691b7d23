// How a 1.1 Selector Object travels in a plan. In a 1.1 document an object with a `selector` field
// where a value is expected (outputs, parameter values, payloads, replacement values) is a Selector
// Object; in a 1.0 document the same object is a literal. The plan builder knows the version; the
// template parser (also used by workflow code on recorded plans) does not, so the builder rewrites
// each Selector Object of a 1.1 document to `{"$arazzo:selector": {context, selector, type}}` with its
// expression type made explicit, and the parser recognises only that form. A 1.0 plan never has it.
import { type ExpressionType, expressionTypeOf, isSelectorObject } from './selector-object.js';

export const SELECTOR_MARKER = '$arazzo:selector';

export interface PlannedSelector {
  context: string;
  selector: string;
  type: ExpressionType;
}

/** The plan's form of a Selector Object (its type made explicit); other values unchanged. */
export function markSelector(value: unknown): unknown {
  if (!isSelectorObject(value)) return value;
  const type = expressionTypeOf(value.type);
  // A malformed one is the schema's to report; left as written it evaluates as a literal object.
  if (!type || typeof value.context !== 'string' || typeof value.selector !== 'string') return value;
  return { [SELECTOR_MARKER]: { context: value.context, selector: value.selector, type } };
}

/** Marks every Selector Object within a payload (objects and arrays are walked). */
export function markSelectorsDeep(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (isSelectorObject(value)) return markSelector(value);
  if (Array.isArray(value)) return value.map((item) => markSelectorsDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, {
      value: markSelectorsDeep(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The selector a marked value carries, or undefined. */
export function unmarkSelector(value: object): PlannedSelector | undefined {
  const inner = (value as Record<string, unknown>)[SELECTOR_MARKER] as Record<string, unknown> | undefined;
  if (!inner || typeof inner !== 'object') return undefined;
  const type = expressionTypeOf(inner.type);
  if (!type || typeof inner.context !== 'string' || typeof inner.selector !== 'string') return undefined;
  return { context: inner.context, selector: inner.selector, type };
}
