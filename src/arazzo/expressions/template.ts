// Value templates: how a document value (parameter value, payload, output) becomes a runtime value.
//
//  - a string that is exactly one expression (`$inputs.n`) or exactly one braced expression
//    (`{$inputs.n}`) keeps the referenced value's type (the spec: "Runtime expressions preserve the
//    type of the referenced value"); the braced form matters for JSON payload strings such as
//    `"quantity": "{$inputs.quantity}"` in the spec's own example;
//  - `{$...}` embeds an expression in a longer string; `{` not followed by `$` is literal text;
//  - lenient (default): a bare expression token inside a longer string (`Bearer $inputs.apiToken`,
//    seen in real documents) is substituted too, with an `unbraced-expression` warning at its offset
//    suggesting the braced form. Strict: it stays literal text, and the same warning says so, because
//    sending `Bearer $inputs.apiToken` verbatim is almost never what the author meant;
//  - objects and arrays are walked recursively (payloads).
import { escapePointerToken } from '../document/json-pointer.js';
import { selectFrom } from '../selectors/evaluate-selector.js';
import { SELECTOR_MARKER, unmarkSelector } from '../selectors/plan-selectors.js';
import { evaluateExpression } from './evaluate.js';
import {
  formatRuntimeExpression,
  parseRuntimeExpression,
  scanRuntimeExpression,
  startsExpressionRoot,
} from './parser.js';
import type {
  ExpressionContext,
  ExpressionError,
  ParseResult,
  RuntimeExpression,
  TemplateOptions,
  TemplatePart,
  ValueTemplate,
} from './types.js';

/** Nesting deeper than this is refused (also stops YAML alias cycles). */
export const MAX_TEMPLATE_DEPTH = 64;
/** Strings longer than this are kept literal without scanning (bounded work). */
export const MAX_TEMPLATE_STRING_LENGTH = 1_000_000;

// Where a bare (unbraced) expression inside a string ends, besides whitespace.
const BARE_STOP = new Set(['"', "'", '`', ',', ';', ')', ']', '}', '{', '<', '>', '?', '&']);
const bareStop = (c: string) => BARE_STOP.has(c);

const isWordChar = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');

function hasWhitespace(text: string): boolean {
  for (const c of text) if (c === ' ' || c === '\t' || c === '\n' || c === '\r') return true;
  return false;
}

function parseStringTemplate(text: string, strict: boolean, path: string): ParseResult<ValueTemplate> {
  const at = (e: ExpressionError): ExpressionError => (path === '' ? e : { ...e, path });
  if (text.length > MAX_TEMPLATE_STRING_LENGTH || !text.includes('$')) {
    return { ok: true, value: { kind: 'literal', value: text }, warnings: [] };
  }
  // Exactly one expression: keeps its type.
  if (text[0] === '$') {
    const whole = parseRuntimeExpression(text);
    if (whole.ok) return { ok: true, value: { kind: 'expression', expression: whole.value, text }, warnings: [] };
    // One mistyped expression (no spaces, nothing embedded): report it rather than send it as text.
    if (startsExpressionRoot(text, 0) && !hasWhitespace(text) && !text.includes('{$')) {
      return { ok: false, error: at(whole.error) };
    }
  }
  if (text.startsWith('{$') && text.indexOf('}') === text.length - 1) {
    const inner = parseRuntimeExpression(text.slice(1, -1));
    if (!inner.ok) return { ok: false, error: at({ ...inner.error, offset: inner.error.offset + 1 }) };
    return { ok: true, value: { kind: 'expression', expression: inner.value, text }, warnings: [] };
  }

  const parts: TemplatePart[] = [];
  const warnings: ExpressionError[] = [];
  let literal = '';
  let sawExpression = false;
  const flush = () => {
    if (literal !== '') parts.push({ text: literal });
    literal = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '{' && text[i + 1] === '$') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        return {
          ok: false,
          error: at({
            message: 'unterminated embedded expression: `{$` without a closing `}`',
            offset: i,
            hint: 'close the expression with `}`, e.g. `{$inputs.name}`',
            code: 'expression-syntax',
          }),
        };
      }
      const inner = parseRuntimeExpression(text.slice(i + 1, close));
      if (!inner.ok) return { ok: false, error: at({ ...inner.error, offset: inner.error.offset + i + 1 }) };
      flush();
      parts.push({ expression: inner.value, text: text.slice(i, close + 1) });
      sawExpression = true;
      i = close + 1;
      continue;
    }
    if (c === '$' && !isWordChar(text[i - 1]) && startsExpressionRoot(text, i)) {
      const scanned = scanRuntimeExpression(text, i, { bare: true, stop: bareStop });
      if (scanned.ok) {
        const token = text.slice(i, scanned.end);
        const braced = text.slice(0, i) + '{' + token + '}' + text.slice(scanned.end);
        warnings.push(
          at({
            message: strict
              ? `\`${token}\` looks like a runtime expression without braces; strict mode sends it as literal text`
              : `unbraced runtime expression \`${token}\` inside a string; it is substituted, but embedded expressions should be braced`,
            offset: i,
            hint: `write \`${braced}\``,
            code: 'unbraced-expression',
          }),
        );
        if (strict) {
          literal += token;
        } else {
          flush();
          parts.push({ expression: scanned.expression, text: token });
          sawExpression = true;
        }
        i = scanned.end;
        continue;
      }
      warnings.push(
        at({
          message: `\`$\` here looks like the start of a runtime expression but does not parse (${scanned.error.message}); it is kept as text`,
          offset: scanned.error.offset,
          hint: scanned.error.hint,
          code: 'unbraced-expression',
        }),
      );
    }
    literal += c;
    i++;
  }
  flush();
  if (!sawExpression) return { ok: true, value: { kind: 'literal', value: text }, warnings };
  return { ok: true, value: { kind: 'template', parts }, warnings };
}

function parseAt(value: unknown, strict: boolean, path: string, depth: number): ParseResult<ValueTemplate> {
  if (depth > MAX_TEMPLATE_DEPTH) {
    return {
      ok: false,
      error: {
        message: `value is nested deeper than ${MAX_TEMPLATE_DEPTH} levels`,
        offset: 0,
        path,
        code: 'expression-syntax',
      },
    };
  }
  if (typeof value === 'string') return parseStringTemplate(value, strict, path);
  const warnings: ExpressionError[] = [];
  if (Array.isArray(value)) {
    const items: ValueTemplate[] = [];
    for (let k = 0; k < value.length; k++) {
      const r = parseAt(value[k], strict, `${path}/${k}`, depth + 1);
      if (!r.ok) return r;
      warnings.push(...r.warnings);
      items.push(r.value);
    }
    if (items.every((t) => t.kind === 'literal')) return { ok: true, value: { kind: 'literal', value }, warnings };
    return { ok: true, value: { kind: 'array', items }, warnings };
  }
  if (value !== null && typeof value === 'object' && SELECTOR_MARKER in value) return parseSelector(value, path);
  if (value !== null && typeof value === 'object') {
    const entries: Array<[string, ValueTemplate]> = [];
    for (const key of Object.keys(value)) {
      const r = parseAt(
        (value as Record<string, unknown>)[key],
        strict,
        `${path}/${escapePointerToken(key)}`,
        depth + 1,
      );
      if (!r.ok) return r;
      warnings.push(...r.warnings);
      entries.push([key, r.value]);
    }
    if (entries.every(([, t]) => t.kind === 'literal'))
      return { ok: true, value: { kind: 'literal', value }, warnings };
    return { ok: true, value: { kind: 'object', entries }, warnings };
  }
  return { ok: true, value: { kind: 'literal', value }, warnings };
}

function parseSelector(value: object, path: string): ParseResult<ValueTemplate> {
  const selector = unmarkSelector(value);
  const fail = (message: string): ParseResult<ValueTemplate> => ({
    ok: false,
    error: { message, offset: 0, path, code: 'expression-syntax' },
  });
  if (!selector) return fail('not a selector object (context, selector and a known type are required)');
  const context = parseRuntimeExpression(selector.context);
  if (!context.ok) return fail(`selector context "${selector.context}": ${context.error.message}`);
  return {
    ok: true,
    value: {
      kind: 'selector',
      context: context.value,
      contextText: selector.context,
      selector: selector.selector,
      expressionType: selector.type,
    },
    warnings: [],
  };
}

/**
 * Parses a document value into a template. Errors and warnings inside objects/arrays carry `path`
 * (JSON Pointer of the string within `value`) and the offset within that string.
 */
export function parseValueTemplate(value: unknown, options: TemplateOptions = {}): ParseResult<ValueTemplate> {
  return parseAt(value, options.strict === true, '', 0);
}

/** How an embedded value is written into a string: strings as-is, everything else as JSON. */
export function stringifyEmbedded(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // A literal `__proto__` key from a document must stay data, not become the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Evaluates a template. Absent values are omitted rather than invented: an object property or array
 * item resolving to `undefined` is dropped, and a string template with any part resolving to
 * `undefined` is `undefined` as a whole (so `Bearer {$inputs.token}` without a token is omitted,
 * never sent as `Bearer ` or `Bearer undefined`).
 */
export function evaluateTemplate(template: ValueTemplate, context: ExpressionContext): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'expression':
      return evaluateExpression(template.expression, context);
    case 'template': {
      let out = '';
      for (const part of template.parts) {
        if ('expression' in part) {
          const v = evaluateExpression(part.expression, context);
          if (v === undefined) return undefined;
          out += stringifyEmbedded(v);
        } else {
          out += part.text;
        }
      }
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, t] of template.entries) {
        const v = evaluateTemplate(t, context);
        if (v !== undefined) setOwn(out, key, v);
      }
      return out;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const t of template.items) {
        const v = evaluateTemplate(t, context);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case 'selector':
      return selectFrom(evaluateExpression(template.context, context), template.selector, template.expressionType);
  }
}

/** Every expression in a template, with the text it was written as (for validators and messages). */
export function templateExpressions(template: ValueTemplate): Array<{ expression: RuntimeExpression; text: string }> {
  switch (template.kind) {
    case 'literal':
      return [];
    case 'expression':
      return [{ expression: template.expression, text: template.text }];
    case 'template':
      return template.parts.filter((p): p is { expression: RuntimeExpression; text: string } => 'expression' in p);
    case 'object':
      return template.entries.flatMap(([, t]) => templateExpressions(t));
    case 'array':
      return template.items.flatMap((t) => templateExpressions(t));
    case 'selector':
      return [{ expression: template.context, text: template.contextText }];
  }
}

/** The expressions of a template that resolve to nothing in `context` (canonical text). */
export function unresolvedExpressions(template: ValueTemplate, context: ExpressionContext): string[] {
  return templateExpressions(template)
    .filter((e) => evaluateExpression(e.expression, context) === undefined)
    .map((e) => formatRuntimeExpression(e.expression));
}
