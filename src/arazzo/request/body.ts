// Request Body Object → serialized body. Decisions:
//  - a payload (or a replacement value) resolving to `undefined` is omitted: no body is sent, and a
//    replacement with nothing to write is skipped; object properties resolving to nothing are dropped;
//  - a JSON payload written as a string (the spec's "JSON Templated Example") is parsed as JSON first,
//    so `"quantity": "{$inputs.quantity}"` keeps the number type; if the string is not JSON, it is a
//    text template and values are spliced in as text;
//  - XML text templates escape the spliced values (`<`, `&`, quotes);
//  - multipart/form-data uses a boundary derived from the content (FNV-1a hash) — deterministic, as
//    workflow code must be, and re-derived if it ever occurs in the content;
//  - replacement targets are JSON Pointers for JSON payloads (missing intermediate objects are
//    created) and XPath for XML payloads, unless (1.1) `targetSelectorType` says otherwise (jsonpath:
//    every match is set; xpath: the text of every element or attribute selected).
import {
  type ExpressionContext,
  type ExpressionError,
  type TemplatePart,
  type ValueTemplate,
  PointerWriteError,
  evaluateExpression,
  evaluateTemplate,
  parseJsonPointer,
  parseValueTemplate,
  setByPointer,
  stringifyEmbedded,
} from '../expressions/index.js';
import type { PayloadReplacement } from '../model.js';
import { replaceAt } from '../selectors/evaluate-selector.js';
import { SelectorError } from '../selectors/select-json.js';
import { defaultTargetType, type ExpressionType, expressionTypeOf } from '../selectors/selector-object.js';
import { RequestBuildError } from './errors.js';

export interface RequestBodyInput {
  contentType?: string;
  payload?: unknown;
  replacements?: PayloadReplacement[];
}

export interface BuiltBody {
  contentType: string;
  body: string;
  bodyValue: unknown;
}

const mediaType = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();
export const isJsonMediaType = (contentType: string) => {
  const m = mediaType(contentType);
  return m === 'application/json' || m.endsWith('+json');
};
const isXmlMediaType = (contentType: string) => {
  const m = mediaType(contentType);
  return m === 'application/xml' || m === 'text/xml' || m.endsWith('+xml');
};

function cloneJson(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 128) return value;
  if (Array.isArray(value)) return value.map((v) => cloneJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    Object.defineProperty(out, k, {
      value: cloneJson((value as Record<string, unknown>)[k], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function parseOrThrow(value: unknown, strict: boolean, what: string, warnings: ExpressionError[]): ValueTemplate {
  const parsed = parseValueTemplate(value, { strict });
  if (!parsed.ok) {
    const where = parsed.error.path ? ` at ${parsed.error.path}` : '';
    throw new RequestBuildError(
      'expression-syntax',
      `${what}${where}: ${parsed.error.message} (offset ${parsed.error.offset})${parsed.error.hint ? `; ${parsed.error.hint}` : ''}`,
      { offset: parsed.error.offset },
    );
  }
  warnings.push(...parsed.warnings);
  return parsed.value;
}

const xmlEscape = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

/** A text template rendered for a given media type (XML escapes spliced values). */
function renderText(parts: TemplatePart[], context: ExpressionContext, xml: boolean): string | undefined {
  let out = '';
  for (const part of parts) {
    if ('expression' in part) {
      const v = evaluateExpression(part.expression, context);
      if (v === undefined) return undefined;
      out += xml ? xmlEscape(stringifyEmbedded(v)) : stringifyEmbedded(v);
    } else {
      out += part.text;
    }
  }
  return out;
}

// FNV-1a, 32-bit, twice with different offsets → 16 hex digits. Pure and deterministic.
function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function multipartBoundary(content: string): string {
  for (let attempt = 0; ; attempt++) {
    const boundary = `arazzo-${fnv1a(content, 0x811c9dc5 + attempt)}${fnv1a(content, 0x01000193 + attempt)}`;
    if (!content.includes(boundary)) return boundary;
  }
}

function formEntries(value: unknown): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RequestBuildError('unsupported-body', 'a form payload must be an object (or a pre-encoded string)');
  }
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) out.push([k, item]);
    else out.push([k, v]);
  }
  return out;
}

const formText = (v: unknown) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function serializeMultipart(value: unknown): { body: string; contentType: string } {
  const entries = formEntries(value);
  const quote = (s: string) =>
    s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const parts = entries.map(([k, v]) => {
    const json = v !== null && typeof v === 'object';
    return `Content-Disposition: form-data; name="${quote(k)}"\r\n${json ? 'Content-Type: application/json\r\n' : ''}\r\n${formText(v)}\r\n`;
  });
  const boundary = multipartBoundary(parts.join(''));
  const body = parts.map((p) => `--${boundary}\r\n${p}`).join('') + `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function serialize(value: unknown, contentType: string, preRendered: boolean): { body: string; contentType: string } {
  const m = mediaType(contentType);
  if (typeof value === 'string' && (preRendered || !isJsonMediaType(contentType))) return { body: value, contentType };
  if (isJsonMediaType(contentType)) return { body: JSON.stringify(value), contentType };
  if (m === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams();
    for (const [k, v] of formEntries(value)) params.append(k, formText(v));
    return { body: params.toString(), contentType };
  }
  if (m === 'multipart/form-data') return serializeMultipart(value);
  if (typeof value === 'number' || typeof value === 'boolean') return { body: String(value), contentType };
  if (m.startsWith('text/')) return { body: JSON.stringify(value), contentType };
  throw new RequestBuildError(
    'unsupported-body',
    `cannot serialize a structured payload as \`${contentType}\`; write the payload as a string`,
  );
}

/** How a replacement's `target` is read: its `targetSelectorType`, else by the payload's media type. */
function replacementTargetType(r: PayloadReplacement, contentType: string, index: number): ExpressionType {
  if (r.targetSelectorType === undefined) return defaultTargetType(contentType);
  const type = expressionTypeOf(r.targetSelectorType);
  if (!type) {
    throw new RequestBuildError(
      'invalid-replacement',
      `replacement #${index}: targetSelectorType ${JSON.stringify(r.targetSelectorType)} is not jsonpath, xpath or jsonpointer (with a known version)`,
    );
  }
  return type;
}

/** Builds the body; `undefined` when there is no payload or it resolved to nothing. */
export function buildBody(
  input: RequestBodyInput,
  context: ExpressionContext,
  options: { strict?: boolean; warnings?: ExpressionError[] } = {},
): BuiltBody | undefined {
  const strict = options.strict === true;
  const warnings = options.warnings ?? [];
  const payload = input.payload;
  const contentType = input.contentType ?? (typeof payload === 'string' ? 'text/plain' : 'application/json');

  let value: unknown;
  let preRendered = false;
  if (typeof payload === 'string' && isJsonMediaType(contentType)) {
    let json: unknown;
    let isJson = false;
    try {
      json = JSON.parse(payload);
      isJson = true;
    } catch {
      isJson = false;
    }
    if (isJson) {
      value = evaluateTemplate(parseOrThrow(json, strict, 'payload', warnings), context);
    } else {
      value = evaluateTemplate(parseOrThrow(payload, strict, 'payload', warnings), context);
      preRendered = true;
    }
  } else if (typeof payload === 'string') {
    const template = parseOrThrow(payload, strict, 'payload', warnings);
    value =
      template.kind === 'template'
        ? renderText(template.parts, context, isXmlMediaType(contentType))
        : evaluateTemplate(template, context);
    preRendered = typeof value === 'string';
  } else if (payload !== undefined) {
    value = evaluateTemplate(parseOrThrow(payload, strict, 'payload', warnings), context);
  }

  const replacements = input.replacements ?? [];
  if (replacements.length > 0) {
    if (preRendered && typeof value === 'string' && isJsonMediaType(contentType)) {
      try {
        value = JSON.parse(value);
        preRendered = false;
      } catch {
        throw new RequestBuildError(
          'invalid-replacement',
          'replacements need a structured (JSON) payload; the rendered payload is not JSON',
        );
      }
    }
    value = cloneJson(value);
    for (const [i, r] of replacements.entries()) {
      const targetType = replacementTargetType(r, contentType, i);
      if (targetType.type !== 'jsonpointer') {
        // 1.1 `targetSelectorType` (jsonpath, xpath), or an XML payload, whose targets are XPath.
        const replacement = evaluateTemplate(
          parseOrThrow(r.value, strict, `replacement #${i} value`, warnings),
          context,
        );
        if (replacement === undefined) continue;
        try {
          value = replaceAt(value, r.target, targetType, cloneJson(replacement));
        } catch (e) {
          if (e instanceof SelectorError) {
            throw new RequestBuildError('invalid-replacement', `replacement #${i}: ${e.message}`, {
              expression: r.target,
            });
          }
          throw e;
        }
        continue;
      }
      const pointer = parseJsonPointer(r.target);
      if (!pointer.ok) {
        throw new RequestBuildError(
          'invalid-replacement',
          `replacement #${i} target \`${r.target}\` is not a JSON Pointer (${pointer.error.message}); XPath targets are not supported`,
          { expression: r.target, offset: pointer.error.offset },
        );
      }
      if (typeof value === 'string') {
        throw new RequestBuildError(
          'invalid-replacement',
          `replacement #${i}: cannot apply a JSON Pointer to a text payload`,
        );
      }
      const replacement = evaluateTemplate(parseOrThrow(r.value, strict, `replacement #${i} value`, warnings), context);
      if (replacement === undefined) continue;
      try {
        value = setByPointer(value, pointer.tokens, cloneJson(replacement));
      } catch (e) {
        if (e instanceof PointerWriteError) {
          throw new RequestBuildError('invalid-replacement', `replacement #${i} target \`${r.target}\`: ${e.message}`, {
            expression: r.target,
          });
        }
        throw e;
      }
    }
  }
  if (value === undefined) return undefined;
  const { body, contentType: finalType } = serialize(value, contentType, preRendered);
  return { body, bodyValue: value, contentType: finalType };
}
