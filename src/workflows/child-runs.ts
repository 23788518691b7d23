// Nested Arazzo workflows (`dependsOn`, a step with `workflowId`, a goto or retry to a workflow) run as
// child workflows of the same type. A child gets the parent's plan and plan digest (the digest does not
// depend on which workflow of the plan a run executes), so it schedules its steps by reference too.
import { ApplicationFailure, executeChild, uuid4, workflowInfo } from '@temporalio/workflow';
import { type ExpressionContext, evaluateTemplate, parseValueTemplate } from '../arazzo/expressions/index.js';
import type { Parameter } from '../arazzo/model.js';
import type { Plan, PlanStep } from '../arazzo/plan/types.js';
import type { Ending } from './ending.js';
import type { ArazzoRunInput, ArazzoRunResult } from './types.js';

export interface ParentRun {
  input: ArazzoRunInput;
  plan: Plan;
  planDigest?: string;
}

/** A workflow step's parameters, evaluated: the child run's inputs (an absent value is left out). */
export function childInputs(step: PlanStep, context: ExpressionContext, strict: boolean): Record<string, unknown> {
  return parameterInputs(step.parameters, context, strict);
}

/** Parameters of a workflowId step or (1.1) action, evaluated: the target workflow's inputs. */
export function parameterInputs(
  parameters: Parameter[],
  context: ExpressionContext,
  strict: boolean,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const p of parameters) {
    const parsed = parseValueTemplate(p.value, { strict });
    if (!parsed.ok) continue;
    const value = evaluateTemplate(parsed.value, context);
    if (value !== undefined) inputs[p.name] = value;
  }
  return inputs;
}

export async function runChildWorkflow(
  parent: ParentRun,
  workflowId: string,
  inputs: Record<string, unknown>,
  why: string,
): Promise<Ending> {
  const child: ArazzoRunResult = await executeChild('arazzoRun', {
    workflowId: `${workflowInfo().workflowId}/${workflowId}/${uuid4().slice(0, 8)}`,
    args: [
      {
        ...parent.input,
        workflowId,
        inputs,
        plan: { ...parent.plan, workflowId },
        planDigest: parent.planDigest,
        resume: undefined,
      } satisfies ArazzoRunInput,
    ],
    staticSummary: `Arazzo workflow ${workflowId} (${why})`,
  });
  if (child.status === 'completed') return { kind: 'completed', outputs: child.outputs };
  if (child.status === 'rejected' || child.status === 'approval-expired' || child.status === 'compensated') {
    return { kind: child.status, message: `nested workflow ${workflowId}: ${child.message ?? child.status}` };
  }
  throw ApplicationFailure.create({
    type: 'NestedWorkflowFailed',
    message: `nested workflow ${workflowId} ended ${child.status}`,
    nonRetryable: true,
  });
}
