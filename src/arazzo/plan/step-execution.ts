// The pure halves of running one step: build its request from the plan and the context, and judge
// the response (success criteria, outputs, which actions' criteria hold). The step activity does the
// HTTP call between the two; only it ever sees the whole response body.
import { compileCriterion, type CriterionResult, EvaluationBudget, evaluateCriterion } from '../criteria/index.js';
import type { ExpressionContext } from '../expressions/index.js';
import { defaultSuccess, type ResolvedAction, type StepActions } from '../flow/index.js';
import type { Criterion } from '../model.js';
import type { BuiltRequest } from '../request/index.js';
import { evaluateOutputsDetailed } from '../request/outputs.js';

export interface HttpResponseView {
  statusCode: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON when the response was JSON, else the text (XML, plain), else undefined. */
  body?: unknown;
}

/** The context expressions see after a response: the request, the response, and everything before. */
export function responseContext(
  base: ExpressionContext,
  request: BuiltRequest,
  response: HttpResponseView,
): ExpressionContext {
  return {
    ...base,
    url: request.url,
    method: request.method,
    statusCode: response.statusCode,
    request: {
      headers: request.resolved.header,
      query: request.resolved.query,
      path: request.resolved.path,
      body: request.bodyValue,
    },
    response: { headers: response.headers, body: response.body },
  };
}

export interface CriteriaVerdict {
  passed: boolean;
  /** The first criterion that did not hold, explained (condition, found, expected). */
  failed?: CriterionResult;
}

/**
 * All criteria must hold. Without criteria the verdict is the given default. They share `budget`
 * (criteria/budget.ts): a criterion that finds it spent fails with "evaluation budget exceeded".
 */
export function judgeCriteria(
  criteria: readonly Criterion[],
  context: ExpressionContext,
  empty: boolean,
  budget: EvaluationBudget = new EvaluationBudget(),
): CriteriaVerdict {
  if (criteria.length === 0) return { passed: empty };
  for (const criterion of criteria) {
    const compiled = compileCriterion(criterion);
    if (!compiled.ok) {
      // Validation refuses such documents before a run; this only guards a plan built without it.
      return {
        passed: false,
        failed: { passed: false, condition: criterion.condition, explanation: compiled.error.message },
      };
    }
    const result = evaluateCriterion(compiled.value, context, budget);
    if (!result.passed) return { passed: false, failed: result };
  }
  return { passed: true };
}

export interface StepJudgement {
  successful: boolean;
  failedCriterion?: CriterionResult;
  outputs: Record<string, unknown>;
  /** Output names whose expression resolved to nothing. */
  unresolvedOutputs: string[];
  matched: { success: boolean[]; failure: boolean[] };
}

/**
 * Absent `successCriteria` means any 2xx status (the spec leaves it open; this is what a caller of
 * an HTTP API expects). Outputs are evaluated whether or not the step succeeded, so a failure report
 * can still name what was created. Only the action list for the actual outcome is judged. All the
 * criteria of one judgement share one evaluation budget, so no number of criteria multiplies it.
 */
export function judgeStep(
  step: { successCriteria: Criterion[]; outputs: Record<string, string>; actions: StepActions },
  context: ExpressionContext,
): StepJudgement {
  const budget = new EvaluationBudget();
  const verdict =
    step.successCriteria.length === 0
      ? { passed: defaultSuccess(context.statusCode ?? 0) }
      : judgeCriteria(step.successCriteria, context, true, budget);
  const outputs = evaluateOutputsDetailed(step.outputs, context);
  const judge = (actions: ResolvedAction[]) =>
    actions.map((a) => judgeCriteria(a.criteria, context, true, budget).passed);
  return {
    successful: verdict.passed,
    failedCriterion: 'failed' in verdict ? verdict.failed : undefined,
    outputs: outputs.values,
    unresolvedOutputs: outputs.unresolved,
    matched: verdict.passed
      ? { success: judge(step.actions.success), failure: [] }
      : { success: [], failure: judge(step.actions.failure) },
  };
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date relative to `now` (ms). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

export { buildOperationRequest, type OperationCall } from './operation-request.js';
