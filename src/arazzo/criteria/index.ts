// CONTRACT STUB (to be replaced by the real implementation; signatures are fixed, see below).
import type { Criterion } from '../model.js';
import type { ExpressionContext, ExpressionError, ParseResult } from '../expressions/index.js';

/** A criterion parsed once (at validation/plan time) and evaluated many times. */
export interface CompiledCriterion {
  criterion: Criterion;
  // implementation-defined fields
}

/** Why a criterion held or did not: the condition, the value found, the value expected. */
export interface CriterionResult {
  passed: boolean;
  condition: string;
  /** Human-readable explanation for a failure, e.g. `$.status is "ready", expected "active"`. */
  explanation?: string;
  found?: unknown;
  expected?: unknown;
}

export declare function compileCriterion(criterion: Criterion): ParseResult<CompiledCriterion>;
export declare function evaluateCriterion(compiled: CompiledCriterion, context: ExpressionContext): CriterionResult;
export type { ExpressionError };
