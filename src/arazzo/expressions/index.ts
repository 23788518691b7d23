// CONTRACT STUB (to be replaced by the real implementation; signatures are fixed, see below).
// The expression module: a parser for the full Arazzo 1.0.1 runtime-expression grammar and an
// evaluator over an explicit context. Pure: no I/O, no Node built-ins, importable from workflow code.

/** A syntax problem at a character offset of the input text (0-based). */
export interface ExpressionError {
  message: string;
  offset: number;
  hint?: string;
}

export type ParseResult<T> = { ok: true; value: T; warnings: ExpressionError[] } | { ok: false; error: ExpressionError };

/** AST of one runtime expression (`$url`, `$response.body#/a/b`, `$steps.x.outputs.y#/p`, ...). */
export type RuntimeExpression =
  | { kind: 'url' }
  | { kind: 'method' }
  | { kind: 'statusCode' }
  | { kind: 'request' | 'response'; source: 'header' | 'query' | 'path' | 'body'; name?: string; pointer?: string }
  | { kind: 'inputs'; name: string; pointer?: string }
  | { kind: 'outputs'; name: string; pointer?: string }
  | { kind: 'steps'; stepId: string; field: 'outputs'; name: string; pointer?: string }
  | { kind: 'workflows'; workflowId: string; field: 'inputs' | 'outputs'; name: string; pointer?: string }
  | { kind: 'sourceDescriptions'; name: string; reference: string }
  | { kind: 'components'; componentKind: string; name: string; pointer?: string };

/** A value as written in a document: a literal, one whole expression (keeps its type), or a string template. */
export type ValueTemplate =
  | { kind: 'literal'; value: unknown }
  | { kind: 'expression'; expression: RuntimeExpression; text: string }
  | { kind: 'template'; parts: Array<{ text: string } | { expression: RuntimeExpression; text: string }> }
  | { kind: 'object'; entries: Array<[string, ValueTemplate]> }
  | { kind: 'array'; items: ValueTemplate[] };

export interface TemplateOptions {
  /** Off by default (lenient): bare `$inputs.x` / `$steps.x.outputs.y` tokens inside a longer string are substituted, with a warning. */
  strict?: boolean;
}

/** Everything an expression may read. Nothing else is reachable from an expression. */
export interface ExpressionContext {
  url?: string;
  method?: string;
  statusCode?: number;
  request?: { headers: Record<string, string>; query: Record<string, string>; path: Record<string, string>; body?: unknown };
  response?: { headers: Record<string, string>; body?: unknown };
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, unknown> }>;
  workflows?: Record<string, { inputs?: Record<string, unknown>; outputs: Record<string, unknown> }>;
  sourceDescriptions?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown>>;
}

export declare function parseRuntimeExpression(text: string): ParseResult<RuntimeExpression>;
export declare function parseValueTemplate(value: unknown, options?: TemplateOptions): ParseResult<ValueTemplate>;
export declare function evaluateExpression(expression: RuntimeExpression, context: ExpressionContext): unknown;
export declare function evaluateTemplate(template: ValueTemplate, context: ExpressionContext): unknown;
