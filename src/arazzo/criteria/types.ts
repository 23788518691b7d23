import type { ExpressionContext, RuntimeExpression } from '../expressions/index.js';
import type { Criterion } from '../model.js';
import type { EvaluationBudget } from './budget.js';

/** Why a criterion held or did not: the condition, the value found, the value expected. */
export interface CriterionResult {
  passed: boolean;
  condition: string;
  /** Human-readable explanation for a failure, e.g. `$.status == "active": found "ready", expected "active"`. */
  explanation?: string;
  found?: unknown;
  expected?: unknown;
}

/**
 * A criterion parsed once (at validation/plan time) and evaluated many times. It holds a closure,
 * so it is not serializable: pass the `Criterion` across workflow/activity boundaries and compile
 * it again on the other side.
 */
export interface CompiledCriterion {
  criterion: Criterion;
  /** The resolved kind and, for typed criteria, the version of the expression language. */
  kind: 'simple' | 'regex' | 'jsonpath' | 'xpath';
  version?: string;
  /** Parsed `context`, when the criterion has one. */
  context?: RuntimeExpression;
  /** Evaluates the condition against the (already evaluated) context value, within the budget. */
  run: (contextValue: unknown, context: ExpressionContext, budget: EvaluationBudget) => CriterionResult;
}
