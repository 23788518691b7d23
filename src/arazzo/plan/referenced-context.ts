// The part of a run's expression context that one step can read. The interpreter sends a step
// activity only these values, not every input and every earlier output: what is scheduled is recorded
// in history, once per step execution, so the whole context would be copied there again and again.
//
// Why a text scan rather than walking parsed expressions: the expressions sit in many places (values,
// templates `{...}`, criteria contexts, JSONPath/regex conditions, request bodies at any depth); every
// one of them is written out in the step's JSON as `$inputs.name`, `$steps.id.outputs.name` or
// `$workflows.id.outputs.name`. A scan over that text cannot miss one. It may keep a value too many (a
// name that is a prefix of another), never one too few.
import type { ExpressionContext } from '../expressions/index.js';
import type { PlanStep } from './types.js';

/** Everything of a step (or of its `x-compensation`) that holds expressions, as JSON text (with a channel step's correlationId). */
export function stepExpressionText(step: PlanStep, part: 'step' | 'compensation' = 'step'): string {
  const { parameters, requestBody, successCriteria, outputs, actions } =
    part === 'step' ? step : { ...step.compensation!, outputs: {}, actions: {} };
  // A receive step's correlationId is an expression too (only channel steps have the key, so the text of
  // other steps is what it always was).
  const correlationId = part === 'step' ? step.message?.correlationId : undefined;
  return JSON.stringify(
    correlationId === undefined
      ? { parameters, requestBody, successCriteria, outputs, actions }
      : { parameters, requestBody, successCriteria, outputs, actions, correlationId },
  );
}

/** What a step reads, as the JSON text of its parameters, body, criteria, outputs and actions. */
export function referencedContext(stepJson: string, context: ExpressionContext): ExpressionContext {
  const out: ExpressionContext = {
    inputs: pick(context.inputs, stepJson, '$inputs', '.'),
    steps: {},
  };
  for (const [id, step] of Object.entries(context.steps)) {
    const outputs = pick(step.outputs, stepJson, `$steps.${escaped(id)}`, '.outputs.');
    if (Object.keys(outputs).length) out.steps[id] = { outputs };
  }
  if (context.workflows) {
    const workflows: NonNullable<ExpressionContext['workflows']> = {};
    for (const [id, workflow] of Object.entries(context.workflows)) {
      const outputs = pick(workflow.outputs, stepJson, `$workflows.${escaped(id)}`, '.outputs.');
      const inputs = workflow.inputs && pick(workflow.inputs, stepJson, `$workflows.${escaped(id)}`, '.inputs.');
      if (Object.keys(outputs).length || (inputs && Object.keys(inputs).length)) {
        workflows[id] = inputs && Object.keys(inputs).length ? { inputs, outputs } : { outputs };
      }
    }
    if (Object.keys(workflows).length) out.workflows = workflows;
  }
  for (const key of ['sourceDescriptions', 'components'] as const) {
    if (context[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = context[key];
  }
  return out;
}

/**
 * The entries of `values` that `text` names as `prefix` + `next` + name; all of them wherever `prefix`
 * is followed by anything else (`$inputs` as a whole, `$steps.x` without `.outputs.`, or a longer id
 * that merely starts like this one: keeping too much is harmless).
 */
function pick(values: Record<string, unknown>, text: string, prefix: string, next: string): Record<string, unknown> {
  if (!text.includes(prefix)) return {};
  if (namesWhole(text, prefix, next)) return values;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (text.includes(`${prefix}${next}${escaped(name)}`)) out[name] = value;
  }
  return out;
}

function namesWhole(text: string, prefix: string, next: string): boolean {
  for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
    if (!text.startsWith(next, at + prefix.length)) return true;
  }
  return false;
}

/** A name as it is written inside a JSON string. */
function escaped(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}
