// The judgement of a channel step once it has its message (sent, or received and accepted): its
// success criteria, outputs and which actions' criteria hold, over `$message`. Unlike an HTTP step
// there is no status code: without criteria, the message itself is the success (Arazzo 1.1, "Defining
// Success for Asynchronous Steps": any message matching the correlation id within the timeout).
import { EvaluationBudget } from '../criteria/index.js';
import type { ExpressionContext } from '../expressions/index.js';
import type { ResolvedAction } from '../flow/index.js';
import { judgeCriteria, type StepJudgement } from '../plan/step-execution.js';
import type { PlanStep } from '../plan/types.js';
import { evaluateOutputsDetailed } from '../request/outputs.js';

export function judgeMessage(
  step: Pick<PlanStep, 'successCriteria' | 'outputs' | 'actions'>,
  context: ExpressionContext,
): StepJudgement {
  const budget = new EvaluationBudget();
  const verdict = judgeCriteria(step.successCriteria, context, true, budget);
  const outputs = evaluateOutputsDetailed(step.outputs, context);
  const judge = (actions: ResolvedAction[]) =>
    actions.map((a) => judgeCriteria(a.criteria, context, true, budget).passed);
  return {
    successful: verdict.passed,
    failedCriterion: verdict.failed,
    outputs: outputs.values,
    unresolvedOutputs: outputs.unresolved,
    matched: verdict.passed
      ? { success: judge(step.actions.success), failure: [] }
      : { success: [], failure: judge(step.actions.failure) },
  };
}
