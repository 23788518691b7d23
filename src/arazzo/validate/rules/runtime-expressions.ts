import { SEND_STEP_OUTPUTS } from '../../messages/protocols.js';
import {
  parseRuntimeExpression,
  parseValueTemplate,
  type RuntimeExpression,
  type ValueTemplate,
} from '../../expressions/index.js';
import { arazzoMinorVersion } from '../../document/arazzo-version.js';
import { isChannelStep } from '../../document/channel-index.js';
import { isAvailable } from '../../document/document-set.js';
import { joinPointer } from '../../document/json-pointer.js';
import { declaredInputNames } from '../declared-inputs.js';
import { didYouMean } from '../did-you-mean.js';
import {
  componentsOf,
  isObject,
  itemsOf,
  type JsonObject,
  type StepNode,
  stepsOf,
  type WorkflowNode,
  workflowsOf,
} from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';
import { resolveWorkflow } from '../workflow-reference.js';

/** Where an expression is written, which decides what it may refer to. */
interface Scope {
  workflow?: WorkflowNode;
  step?: StepNode;
  /** `$steps.X` must name a step before this index (undefined: any step of the workflow). */
  runsBefore?: number;
  /** Where `$message` has a value: a 1.1 channel step's outputs and successCriteria. */
  message?: boolean;
}

/**
 * Every runtime expression parses, and every name it refers to exists: `$steps.X.outputs.y` (a step
 * of this workflow that runs before, with that output), `$workflows.X`, `$inputs.x` (declared, else
 * a warning), `$components.kind.name`, `$sourceDescriptions.name`, and `$outputs.x` of a workflow
 * step. Strings with unbraced `$...` tokens get an `unbraced-expression` warning in both dialects.
 * `x-` extensions are never visited.
 */
export function checkRuntimeExpressions(ctx: RuleContext): void {
  const is11 = arazzoMinorVersion(ctx.document) === '1.1';
  for (const workflow of workflowsOf(ctx.document)) {
    const workflowScope: Scope = { workflow };
    checkParameters(ctx, workflow.workflow, workflow.pointer, workflowScope);
    checkActions(ctx, workflow.workflow, ['successActions', 'failureActions'], workflow.pointer, workflowScope);
    checkOutputs(ctx, workflow.workflow, workflow.pointer, workflowScope);
    for (const step of stepsOf(workflow)) {
      const before: Scope = { workflow, step, runsBefore: step.index };
      const after: Scope = { workflow, step, runsBefore: step.index + 1 };
      checkParameters(ctx, step.step, step.pointer, before);
      const body = step.step.requestBody;
      if (isObject(body)) {
        const bodyPointer = `${step.pointer}/requestBody`;
        if ('payload' in body) checkValue(ctx, body.payload, `${bodyPointer}/payload`, before);
        for (const { item, pointer } of itemsOf(body, 'replacements', bodyPointer)) {
          if ('value' in item) checkValue(ctx, item.value, `${pointer}/value`, before);
        }
      }
      const judged: Scope = { ...after, message: is11 && isChannelStep(step.step) };
      checkCriteriaList(ctx, step.step, 'successCriteria', step.pointer, judged);
      checkActions(ctx, step.step, ['onSuccess', 'onFailure'], step.pointer, after);
      checkOutputs(ctx, step.step, step.pointer, judged);
    }
  }
  const components = componentsOf(ctx.document);
  for (const kind of ['parameters', 'successActions', 'failureActions']) {
    const group = components[kind];
    if (!isObject(group)) continue;
    for (const [name, component] of Object.entries(group)) {
      if (!isObject(component)) continue;
      const pointer = `/components/${kind}/${name}`;
      if (kind === 'parameters' && 'value' in component) checkValue(ctx, component.value, `${pointer}/value`, {});
      else checkCriteriaList(ctx, component, 'criteria', pointer, {});
    }
  }
}

function checkParameters(ctx: RuleContext, owner: JsonObject, ownerPointer: string, scope: Scope) {
  for (const { item, pointer } of itemsOf(owner, 'parameters', ownerPointer)) {
    if ('value' in item) checkValue(ctx, item.value, `${pointer}/value`, scope);
  }
}

function checkActions(ctx: RuleContext, owner: JsonObject, fields: string[], ownerPointer: string, scope: Scope) {
  for (const field of fields) {
    for (const { item, pointer } of itemsOf(owner, field, ownerPointer))
      checkCriteriaList(ctx, item, 'criteria', pointer, scope);
  }
}

function checkOutputs(ctx: RuleContext, owner: JsonObject, ownerPointer: string, scope: Scope) {
  if (!isObject(owner.outputs)) return;
  for (const [name, value] of Object.entries(owner.outputs)) {
    if (typeof value === 'string') checkExpressionString(ctx, value, joinPointer(ownerPointer, 'outputs', name), scope);
  }
}

function checkCriteriaList(ctx: RuleContext, owner: JsonObject, field: string, ownerPointer: string, scope: Scope) {
  for (const { item, pointer } of itemsOf(owner, field, ownerPointer)) {
    if (typeof item.context === 'string') checkExpressionString(ctx, item.context, `${pointer}/context`, scope);
    const type = isObject(item.type) ? item.type.type : (item.type ?? 'simple');
    // Only simple conditions are made of runtime expressions; the criteria rule checks the rest compiles.
    if (type === 'simple' && typeof item.condition === 'string') {
      for (const match of item.condition.matchAll(/\$[A-Za-z][A-Za-z0-9_.\-#/~]*/g)) {
        const parsed = parseRuntimeExpression(match[0]);
        if (parsed.ok) checkReferences(ctx, parsed.value, match[0], `${pointer}/condition`, scope);
      }
    }
  }
}

/** A field that holds one runtime expression (outputs, criterion context), or else a template/literal. */
function checkExpressionString(ctx: RuleContext, text: string, pointer: string, scope: Scope) {
  if (!text.startsWith('$')) {
    checkValue(ctx, text, pointer, scope);
    return;
  }
  const parsed = parseRuntimeExpression(text);
  if (!parsed.ok) {
    reportInvalid(ctx, text, parsed.error, pointer);
    return;
  }
  checkReferences(ctx, parsed.value, text, pointer, scope);
}

/** A parameter value, payload or replacement: any JSON, each string a literal, expression or template. */
function checkValue(ctx: RuleContext, value: unknown, pointer: string, scope: Scope): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkValue(ctx, item, `${pointer}/${index}`, scope);
    });
    return;
  }
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkValue(ctx, item, joinPointer(pointer, key), scope);
    return;
  }
  if (typeof value !== 'string') return;
  const lenient = parseValueTemplate(value, { strict: false });
  if (!lenient.ok) {
    reportInvalid(ctx, value, lenient.error, pointer);
    return;
  }
  for (const warning of lenient.warnings) {
    const token = /^\$[^\s{}"'`,;()<>]+/.exec(value.slice(warning.offset))?.[0];
    const braced = token
      ? value.slice(0, warning.offset) + `{${token}}` + value.slice(warning.offset + token.length)
      : undefined;
    ctx.report({
      severity: 'warning',
      code: 'unbraced-expression',
      message: ctx.strict
        ? `unbraced runtime expression "${token ?? value}" inside a string is sent literally in strict mode`
        : `unbraced runtime expression "${token ?? value}" inside a string (substituted: lenient dialect)`,
      hint: braced ? `write it braced: "${braced}"` : (warning.hint ?? 'embed expressions in strings as {$...}'),
      pointer,
    });
  }
  const template = ctx.strict ? parseValueTemplate(value, { strict: true }) : lenient;
  if (template.ok)
    for (const [expression, text] of expressionsOf(template.value))
      checkReferences(ctx, expression, text, pointer, scope);
}

function expressionsOf(template: ValueTemplate): Array<[RuntimeExpression, string]> {
  switch (template.kind) {
    case 'expression':
      return [[template.expression, template.text]];
    case 'template':
      return template.parts.flatMap((part) =>
        'expression' in part ? [[part.expression, part.text] as [RuntimeExpression, string]] : [],
      );
    case 'object':
      return template.entries.flatMap(([, entry]) => expressionsOf(entry));
    case 'array':
      return template.items.flatMap(expressionsOf);
    case 'selector':
      return [[template.context, template.contextText]];
    default:
      return [];
  }
}

function reportInvalid(
  ctx: RuleContext,
  text: string,
  error: { message: string; offset: number; hint?: string },
  pointer: string,
) {
  ctx.report({
    code: 'invalid-expression',
    message: `invalid runtime expression "${text}": ${error.message} (at character ${error.offset + 1})`,
    hint: error.hint,
    pointer,
  });
}

function checkReferences(
  ctx: RuleContext,
  expression: RuntimeExpression,
  text: string,
  pointer: string,
  scope: Scope,
): void {
  switch (expression.kind) {
    case 'steps':
      checkStepReference(ctx, expression, text, pointer, scope);
      return;
    case 'workflows': {
      const workflow = resolveWorkflowAnywhere(ctx, expression.workflowId);
      if (!workflow) {
        ctx.report({
          code: 'unknown-workflow',
          message: `"${text}" refers to workflow "${expression.workflowId}", which does not exist`,
          hint: didYouMean(expression.workflowId, allWorkflowIds(ctx)),
          pointer,
        });
      } else if (
        expression.field === 'outputs' &&
        isObject(workflow.outputs) &&
        !(expression.name in workflow.outputs)
      ) {
        ctx.report({
          code: 'unknown-workflow-output',
          message: `"${text}": workflow "${expression.workflowId}" has no output "${expression.name}"`,
          hint: didYouMean(
            expression.name,
            Object.keys(workflow.outputs),
            `its outputs: ${Object.keys(workflow.outputs).join(', ')}`,
          ),
          pointer,
        });
      }
      return;
    }
    case 'inputs': {
      if (!scope.workflow) return;
      const declared = declaredInputNames(ctx.document, scope.workflow.workflow.inputs);
      if (!declared || declared.has(expression.name)) return;
      ctx.report({
        severity: 'warning',
        code: 'undeclared-input',
        message: `"${text}": input "${expression.name}" is not declared in the inputs of workflow "${scope.workflow.workflowId ?? scope.workflow.index}"`,
        hint: declared.has(expression.name.split('.')[0])
          ? `to read a property of input "${expression.name.split('.')[0]}" use a JSON Pointer: $inputs.${expression.name.replace('.', '#/').replace(/\./g, '/')}`
          : didYouMean(expression.name, declared, 'declare it under inputs.properties'),
        pointer,
      });
      return;
    }
    case 'outputs': {
      // `$outputs.x` in a workflow step's outputs reads the called workflow's outputs.
      const called =
        scope.step && typeof scope.step.step.workflowId === 'string'
          ? resolveWorkflow(ctx, scope.step.step.workflowId)
          : undefined;
      if (called && isObject(called.outputs) && !(expression.name in called.outputs)) {
        ctx.report({
          code: 'unknown-workflow-output',
          message: `"${text}": workflow "${scope.step?.step.workflowId}" has no output "${expression.name}"`,
          hint: didYouMean(
            expression.name,
            Object.keys(called.outputs),
            `its outputs: ${Object.keys(called.outputs).join(', ')}`,
          ),
          pointer,
        });
      }
      return;
    }
    case 'components': {
      const group = componentsOf(ctx.document)[expression.componentKind];
      if (isObject(group) && expression.name in group) return;
      ctx.report({
        code: 'unknown-component',
        message: `"${text}": there is no components.${expression.componentKind}.${expression.name}`,
        hint: isObject(group) ? didYouMean(expression.name, Object.keys(group)) : undefined,
        pointer,
      });
      return;
    }
    case 'message':
      if (arazzoMinorVersion(ctx.document) !== '1.1') {
        ctx.report({
          code: 'message-expression-not-1-0',
          message: `"${text}": \`$message\` is Arazzo 1.1 (message steps); this document is Arazzo ${String((ctx.document as { arazzo?: unknown }).arazzo)}`,
          hint: 'set `arazzo: 1.1.0` to use channel steps and `$message`',
          pointer,
        });
      } else if (!scope.message) {
        ctx.report({
          code: 'message-expression-out-of-scope',
          message: `"${text}": \`$message\` has a value only in a channel step's outputs and successCriteria (the message it sent or received)`,
          hint: scope.step
            ? `keep it in an output of the channel step and read that, e.g. $steps.<stepId>.outputs.<name>`
            : "read a channel step's output instead: $steps.<stepId>.outputs.<name>",
          pointer,
        });
      }
      return;
    case 'sourceDescriptions':
      if (!(expression.name in ctx.set.sources)) {
        ctx.report({
          code: 'unknown-source',
          message: `"${text}": there is no source description "${expression.name}"`,
          hint: didYouMean(expression.name, Object.keys(ctx.set.sources)),
          pointer,
        });
      }
      return;
    default:
      return;
  }
}

function checkStepReference(
  ctx: RuleContext,
  expression: Extract<RuntimeExpression, { kind: 'steps' }>,
  text: string,
  pointer: string,
  scope: Scope,
): void {
  if (!scope.workflow) return;
  const steps = stepsOf(scope.workflow);
  const target = steps.find((step) => step.stepId === expression.stepId);
  if (!target) {
    const ids = [...new Set(steps.flatMap((step) => (step.stepId ? [step.stepId] : [])))];
    ctx.report({
      code: 'unknown-step-reference',
      message: `"${text}" refers to step "${expression.stepId}", which is not a step of workflow "${scope.workflow.workflowId ?? scope.workflow.index}"`,
      hint: didYouMean(expression.stepId, ids, `steps of this workflow: ${ids.join(', ')}`),
      pointer,
    });
    return;
  }
  const outputs = isObject(target.step.outputs) ? Object.keys(target.step.outputs) : [];
  // A 1.1 send step also outputs where the broker put its message (messages/protocols.ts).
  if (target.step.action === 'send') outputs.push(...SEND_STEP_OUTPUTS.filter((name) => !outputs.includes(name)));
  if (!outputs.includes(expression.name)) {
    ctx.report({
      code: 'unknown-step-output',
      message: `"${text}": step "${expression.stepId}" has no output "${expression.name}"`,
      hint: didYouMean(
        expression.name,
        outputs,
        outputs.length ? `its outputs: ${outputs.join(', ')}` : `step "${expression.stepId}" declares no outputs`,
      ),
      pointer,
    });
  }
  if (scope.runsBefore !== undefined && target.index >= scope.runsBefore) {
    const self = scope.step && target.index === scope.step.index;
    ctx.report({
      severity: 'warning',
      code: 'step-not-yet-run',
      message: self
        ? `"${text}": step "${expression.stepId}" refers to its own outputs before it has run`
        : `"${text}" refers to step "${expression.stepId}", which comes after step "${scope.step?.stepId}"`,
      hint: 'a step can only read the outputs of steps that ran before it',
      pointer,
    });
  }
}

function allWorkflowIds(ctx: RuleContext): string[] {
  const documents = [
    ctx.document,
    ...Object.values(ctx.set.sources).flatMap((s) => (isAvailable(s) && s.type === 'arazzo' ? [s.document] : [])),
  ];
  return documents.flatMap((document) =>
    workflowsOf(document).flatMap((node) => (node.workflowId ? [node.workflowId] : [])),
  );
}

function resolveWorkflowAnywhere(ctx: RuleContext, workflowId: string): JsonObject | undefined {
  const local = resolveWorkflow(ctx, workflowId);
  if (local) return local;
  for (const [name, source] of Object.entries(ctx.set.sources)) {
    if (isAvailable(source) && source.type === 'arazzo') {
      const found = resolveWorkflow(ctx, `$sourceDescriptions.${name}.${workflowId}`);
      if (found) return found;
    }
  }
  return undefined;
}
