// Criteria: `simple` (default), `regex` (RE2, linear time), `jsonpath` (RFC 9535 with match()/search()
// on RE2, Goessner draft, and the `<jsonpath> <op> <literal>` comparison form), `xpath` (XPath 1.0).
// Every evaluation runs within a work budget (budget.ts). Pure and sandbox-safe.
export type { ExpressionContext, ExpressionError, ParseResult } from '../expressions/index.js';
export type { CompiledCriterion, CriterionResult } from './types.js';
export { BudgetExceeded, EVALUATION_BUDGET, EvaluationBudget } from './budget.js';
export { compileCriterion, evaluateCriterion } from './criterion.js';
export { parseSimpleCondition, evaluateSimple, MAX_CONDITION_LENGTH, type SimpleNode } from './simple.js';
export { compileRegex, MAX_REGEX_SUBJECT_LENGTH } from './regex.js';
export {
  compileJsonPath,
  findTopLevelComparison,
  GOESSNER_VERSION,
  parseLiteral,
} from './jsonpath.js';
export { compileXPath, XPATH_VERSIONS } from './xpath.js';
export {
  compareValues,
  looseEquals,
  looseOrder,
  MAX_PREVIEW,
  preview,
  truthy,
  type ComparisonOperator,
} from './values.js';
