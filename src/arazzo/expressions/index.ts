// The expression module: a parser for the full Arazzo 1.0.1 runtime-expression grammar and an
// evaluator over an explicit context. Pure: no I/O, no Node built-ins, importable from workflow code.
//
// Extension beyond the 1.0.1 ABNF (as in 1.1): `$inputs.name#/json/pointer` and
// `$outputs.name#/json/pointer` read into structured inputs/outputs.
export type {
  ExpressionContext,
  ExpressionError,
  ParseResult,
  RuntimeExpression,
  TemplateOptions,
  TemplatePart,
  ValueTemplate,
} from './types.js';
export {
  COMPONENT_KINDS,
  EXPRESSION_ROOTS,
  MAX_EXPRESSION_LENGTH,
  formatRuntimeExpression,
  parseRuntimeExpression,
  scanRuntimeExpression,
  startsExpressionRoot,
  type ScanMode,
  type ScanResult,
} from './parser.js';
export { evaluateExpression, headerValue } from './evaluate.js';
export {
  MAX_TEMPLATE_DEPTH,
  evaluateTemplate,
  parseValueTemplate,
  stringifyEmbedded,
  templateExpressions,
  unresolvedExpressions,
} from './template.js';
export {
  PointerWriteError,
  getByPointer,
  parseJsonPointer,
  setByPointer,
  type PointerError,
  type PointerParse,
} from './json-pointer.js';
