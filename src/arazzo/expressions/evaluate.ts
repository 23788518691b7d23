// Evaluation of a parsed runtime expression against an ExpressionContext. Only the context is
// reachable, and only through own properties, so `$inputs.constructor` is simply absent. Anything
// missing evaluates to `undefined` (never a throw) so callers can report "resolved to nothing".
import { getByPointer, parseJsonPointer } from './json-pointer.js';
import type { ExpressionContext, RuntimeExpression } from './types.js';

function own(record: unknown, key: string): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/** Header names are case-insensitive (RFC 9110); an exact match wins over a case-folded one. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const exact = own(headers, name);
  if (exact !== undefined) return exact as string;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

function withPointer(value: unknown, pointer: string | undefined): unknown {
  if (pointer === undefined || value === undefined) return value;
  const parsed = parseJsonPointer(pointer);
  // The parser already validated the pointer; an AST built by hand with a bad one reads nothing.
  return parsed.ok ? getByPointer(value, parsed.tokens) : undefined;
}

export function evaluateExpression(expression: RuntimeExpression, context: ExpressionContext): unknown {
  switch (expression.kind) {
    case 'url':
      return context.url;
    case 'self':
      return context.self;
    case 'method':
      return context.method;
    case 'statusCode':
      return context.statusCode;
    case 'request':
    case 'response': {
      const message = expression.kind === 'request' ? context.request : context.response;
      if (!message) return undefined;
      switch (expression.source) {
        case 'header':
          return headerValue(message.headers, expression.name ?? '');
        case 'query':
        case 'path':
          return expression.kind === 'request' && context.request
            ? own(context.request[expression.source], expression.name ?? '')
            : undefined;
        case 'body':
          return withPointer(message.body, expression.pointer);
      }
      return undefined;
    }
    case 'message': {
      const message = context.message;
      if (!message) return undefined;
      return expression.source === 'header'
        ? headerValue(message.headers as Record<string, string>, expression.name ?? '')
        : withPointer(message.payload, expression.pointer);
    }
    case 'inputs':
      return withPointer(own(context.inputs, expression.name), expression.pointer);
    case 'outputs':
      return withPointer(own(context.outputs, expression.name), expression.pointer);
    case 'steps':
      return withPointer(
        own(own(own(context.steps, expression.stepId), 'outputs'), expression.name),
        expression.pointer,
      );
    case 'workflows':
      return withPointer(
        own(own(own(context.workflows, expression.workflowId), expression.field), expression.name),
        expression.pointer,
      );
    case 'sourceDescriptions':
      return own(own(context.sourceDescriptions, expression.name), expression.reference);
    case 'components':
      return withPointer(own(own(context.components, expression.componentKind), expression.name), expression.pointer);
  }
}
