// Shared types of the expression module (the contract other modules code against).

/** A syntax problem (or a warning) at a character offset of the input text (0-based). */
export interface ExpressionError {
  message: string;
  offset: number;
  hint?: string;
  /** Stable rule id, e.g. `unbraced-expression`, `expression-syntax` (matches `Finding.code`). */
  code?: string;
  /** For values inside objects/arrays (payloads): JSON Pointer of the string the offset is in. */
  path?: string;
  /** For criteria: which field of the Criterion Object the offset is in. */
  field?: 'condition' | 'context' | 'type';
}

export type ParseResult<T> =
  | { ok: true; value: T; warnings: ExpressionError[] }
  | { ok: false; error: ExpressionError };

/**
 * AST of one runtime expression (`$url`, `$response.body#/a/b`, `$steps.x.outputs.y#/p`, ...).
 * `pointer` is the JSON Pointer text after `#` exactly as written (still escaped, `''` = whole value).
 */
export type RuntimeExpression =
  | { kind: 'url' }
  /** 1.1: the document's `$self` URI (resolved against where it was read). */
  | { kind: 'self' }
  | { kind: 'method' }
  | { kind: 'statusCode' }
  | { kind: 'request' | 'response'; source: 'header' | 'query' | 'path' | 'body'; name?: string; pointer?: string }
  /** 1.1: the message a channel step sent or received (`$message.header.<name>`, `$message.payload#/p`). */
  | { kind: 'message'; source: 'header' | 'payload'; name?: string; pointer?: string }
  | { kind: 'inputs'; name: string; pointer?: string }
  | { kind: 'outputs'; name: string; pointer?: string }
  | { kind: 'steps'; stepId: string; field: 'outputs'; name: string; pointer?: string }
  | { kind: 'workflows'; workflowId: string; field: 'inputs' | 'outputs'; name: string; pointer?: string }
  | { kind: 'sourceDescriptions'; name: string; reference: string }
  | { kind: 'components'; componentKind: string; name: string; pointer?: string };

export type TemplatePart = { text: string } | { expression: RuntimeExpression; text: string };

/** A value as written in a document: a literal, one whole expression (keeps its type), or a string template. */
export type ValueTemplate =
  | { kind: 'literal'; value: unknown }
  | { kind: 'expression'; expression: RuntimeExpression; text: string }
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'object'; entries: Array<[string, ValueTemplate]> }
  | { kind: 'array'; items: ValueTemplate[] }
  /**
   * An Arazzo 1.1 Selector Object, as the plan marks it (`{"$arazzo:selector": {...}}`, see
   * selectors/plan-selectors.ts): the context expression's value, then the selector applied to it.
   */
  | {
      kind: 'selector';
      context: RuntimeExpression;
      contextText: string;
      selector: string;
      expressionType: { type: 'jsonpath' | 'xpath' | 'jsonpointer'; version: string };
    };

export interface TemplateOptions {
  /** Off by default (lenient): bare `$inputs.x` / `$steps.x.outputs.y` tokens inside a longer string are substituted, with a warning. */
  strict?: boolean;
}

/** Everything an expression may read. Nothing else is reachable from an expression. */
export interface ExpressionContext {
  url?: string;
  /** 1.1 `$self`: the running document's own URI, when it declares one. */
  self?: string;
  method?: string;
  statusCode?: number;
  request?: {
    headers: Record<string, string>;
    query: Record<string, string>;
    path: Record<string, string>;
    body?: unknown;
  };
  response?: { headers: Record<string, string>; body?: unknown };
  /** 1.1 `$message`: the message a channel step sent or received (`$message.header.<name>`, `$message.payload#/...`). */
  message?: { headers: Record<string, unknown>; payload?: unknown };
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown> }>;
  workflows?: Record<string, { inputs?: Record<string, unknown>; outputs: Record<string, unknown> }>;
  sourceDescriptions?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown>>;
}
