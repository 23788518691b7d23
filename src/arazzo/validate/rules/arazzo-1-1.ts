// Rules for what Arazzo 1.1 adds (only for 1.1 documents; the 1.1 schema checks the shapes):
//  - selector-object: each Selector Object's context is a runtime expression, its selector is a
//    well-formed JSON Pointer or JSONPath of its version (XPath is checked when it runs);
//  - querystring-with-query: a step (with its workflow's parameters) sends `querystring` or `query`
//    parameters, never both ("per OpenAPI constraints");
//  - self-without-self: a `$self` expression in a document without a `$self` field has no value;
//  - step dependsOn ("Step Dependencies and Execution Order"): this engine runs a workflow's steps in
//    order, so a step may depend on an earlier step of its workflow (checked again when it runs: a goto
//    may have skipped it), or on a step of a workflow that runs before this one (its `dependsOn`).
import { arazzoMinorVersion } from '../../document/arazzo-version.js';
import { compileJsonPath, GOESSNER_VERSION } from '../../criteria/jsonpath.js';
import { parseJsonPointer } from '../../expressions/json-pointer.js';
import { parseRuntimeExpression } from '../../expressions/parser.js';
import { expressionTypeOf, isSelectorObject } from '../../selectors/selector-object.js';
import { isAvailable } from '../../document/document-set.js';
import {
  type JsonObject,
  isObject,
  itemsOf,
  type StepNode,
  stepsOf,
  type WorkflowNode,
  workflowsOf,
} from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

export function checkArazzo11(ctx: RuleContext): void {
  if (arazzoMinorVersion(ctx.document) !== '1.1') return;
  for (const workflow of workflowsOf(ctx.document)) {
    checkOutputs(ctx, workflow.workflow, workflow.pointer);
    for (const { item, pointer } of itemsOf(workflow.workflow, 'parameters', workflow.pointer)) {
      checkSelectorsIn(ctx, item.value, `${pointer}/value`);
    }
    for (const step of stepsOf(workflow)) {
      checkOutputs(ctx, step.step, step.pointer);
      for (const { item, pointer } of itemsOf(step.step, 'parameters', step.pointer)) {
        checkSelectorsIn(ctx, item.value, `${pointer}/value`);
      }
      const body = step.step.requestBody;
      if (isObject(body)) {
        checkSelectorsDeep(ctx, body.payload, `${step.pointer}/requestBody/payload`, 0);
        for (const { item, pointer } of itemsOf(body, 'replacements', `${step.pointer}/requestBody`)) {
          checkSelectorsIn(ctx, item.value, `${pointer}/value`);
        }
      }
      for (const field of ['onSuccess', 'onFailure']) {
        for (const action of itemsOf(step.step, field, step.pointer)) {
          for (const { item, pointer } of itemsOf(action.item, 'parameters', action.pointer)) {
            checkSelectorsIn(ctx, item.value, `${pointer}/value`);
          }
        }
      }
      checkQueryString(ctx, workflow.workflow, step.step, step.pointer);
      checkStepDependsOn(ctx, workflow, step);
    }
  }
  if (!isObject(ctx.document) || typeof ctx.document.$self !== 'string') checkSelfUse(ctx, ctx.document, '', 0);
}

function checkOutputs(ctx: RuleContext, owner: JsonObject, pointer: string): void {
  if (!isObject(owner.outputs)) return;
  for (const [name, value] of Object.entries(owner.outputs)) checkSelectorsIn(ctx, value, `${pointer}/outputs/${name}`);
}

function checkSelectorsDeep(ctx: RuleContext, value: unknown, pointer: string, depth: number): void {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (isSelectorObject(value)) {
    checkSelectorsIn(ctx, value, pointer);
    return;
  }
  for (const [key, item] of Object.entries(value)) checkSelectorsDeep(ctx, item, `${pointer}/${key}`, depth + 1);
}

function checkSelectorsIn(ctx: RuleContext, value: unknown, pointer: string): void {
  if (!isSelectorObject(value)) return;
  const { context, selector } = value as { context?: unknown; selector?: unknown };
  if (typeof context === 'string') {
    const parsed = parseRuntimeExpression(context);
    if (!parsed.ok) {
      ctx.report({
        code: 'selector-object',
        message: `selector context "${context}" is not a runtime expression: ${parsed.error.message}`,
        hint:
          parsed.error.hint ?? 'a context names structured data, e.g. `$response.body` or `$steps.<id>.outputs.<name>`',
        pointer: `${pointer}/context`,
      });
    }
  }
  const type = expressionTypeOf((value as { type?: unknown }).type);
  if (!type || typeof selector !== 'string') return; // the schema says what is wrong
  if (type.type === 'jsonpointer') {
    const parsed = parseJsonPointer(selector);
    if (!parsed.ok) {
      ctx.report({
        code: 'selector-object',
        message: `selector "${selector}" is not a JSON Pointer: ${parsed.error.message}`,
        hint: 'a JSON Pointer is empty or starts with /, e.g. `/items/0/id`',
        pointer: `${pointer}/selector`,
      });
    }
  } else if (type.type === 'jsonpath') {
    const compiled = compileJsonPath(selector, type.version === GOESSNER_VERSION ? 'goessner' : 'rfc9535');
    if (!compiled.ok || compiled.value.comparison) {
      ctx.report({
        code: 'selector-object',
        message: compiled.ok
          ? `selector "${selector}" is a comparison, not a query`
          : `selector "${selector}" is not a ${type.version} JSONPath: ${compiled.error.message}`,
        hint: compiled.ok ? 'a selector selects values; put conditions in successCriteria' : compiled.error.hint,
        pointer: `${pointer}/selector`,
      });
    }
  }
}

function checkQueryString(ctx: RuleContext, workflow: JsonObject, step: JsonObject, pointer: string): void {
  const locations = [...itemsOf(workflow, 'parameters', ''), ...itemsOf(step, 'parameters', pointer)].map(
    ({ item }) => item.in,
  );
  if (!locations.includes('querystring') || !locations.includes('query')) return;
  const at = itemsOf(step, 'parameters', pointer).find(({ item }) => item.in === 'querystring');
  ctx.report({
    code: 'querystring-with-query',
    message: 'a `querystring` parameter is the whole query string; it cannot be sent with `query` parameters',
    hint: 'put every query value into the querystring value, or use `query` parameters only',
    pointer: at ? `${at.pointer}/in` : pointer,
  });
}

function checkSelfUse(ctx: RuleContext, value: unknown, pointer: string, depth: number): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    if (/\$self(?![A-Za-z0-9_])/.test(value)) {
      ctx.report({
        code: 'self-without-self',
        message: '`$self` is used, but this document has no `$self` field: it has no value',
        hint: 'add `$self: <the URI of this document>` at the top level',
        pointer,
      });
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) checkSelfUse(ctx, item, `${pointer}/${key}`, depth + 1);
}

const OTHER_WORKFLOW_STEP = /^\$workflows\.([^.]+)\.steps\.([^.]+)$/;
const SOURCE_WORKFLOW_STEP = /^\$sourceDescriptions\.([^.]+)\.([^.]+)\.steps\.([^.]+)$/;

function checkStepDependsOn(ctx: RuleContext, workflow: WorkflowNode, step: StepNode): void {
  const dependsOn = step.step.dependsOn;
  if (!Array.isArray(dependsOn)) return;
  const steps = stepsOf(workflow);
  const workflowDependsOn: unknown[] = Array.isArray(workflow.workflow.dependsOn) ? workflow.workflow.dependsOn : [];
  dependsOn.forEach((reference, index) => {
    if (typeof reference !== 'string') return;
    const pointer = `${step.pointer}/dependsOn/${index}`;
    const other = OTHER_WORKFLOW_STEP.exec(reference);
    const source = SOURCE_WORKFLOW_STEP.exec(reference);
    if (!other && !source) {
      const target = steps.find((s) => s.stepId === reference);
      if (!target) {
        ctx.report({
          code: 'unknown-step-dependency',
          message: `dependsOn "${reference}" is not a step of workflow "${workflow.workflowId}"`,
          hint: 'a step of another workflow is `$workflows.<workflowId>.steps.<stepId>`',
          pointer,
        });
      } else if (target.index >= step.index) {
        ctx.report({
          code: 'step-dependency-order',
          message: `step "${step.stepId}" depends on step "${reference}", which comes ${target.index === step.index ? 'nowhere before it (it is itself)' : 'after it'}`,
          hint: "this engine runs a workflow's steps in order: move the step it depends on before it",
          pointer,
        });
      }
      return;
    }
    const workflowId = other ? other[1] : `$sourceDescriptions.${source![1]}.${source![2]}`;
    const stepId = other ? other[2] : source![3];
    const document = other ? ctx.document : sourceDocument(ctx, source![1]);
    if (document === undefined) return; // an unknown or unreadable source is reported by its own rule
    const target = workflowsOf(document).find((w) => w.workflowId === (other ? other[1] : source![2]));
    if (!target || !stepsOf(target).some((s) => s.stepId === stepId)) {
      ctx.report({
        code: 'unknown-step-dependency',
        message: `dependsOn "${reference}": ${target ? `workflow "${target.workflowId}" has no step "${stepId}"` : 'no such workflow'}`,
        pointer,
      });
      return;
    }
    if (!workflowDependsOn.includes(workflowId)) {
      ctx.report({
        severity: 'warning',
        code: 'step-dependency-not-run',
        message: `step "${step.stepId}" depends on a step of workflow "${workflowId}", which this workflow does not run first`,
        hint: `add "${workflowId}" to the workflow's dependsOn, so it completes before this workflow starts`,
        pointer,
      });
    }
  });
}

function sourceDocument(ctx: RuleContext, name: string): unknown {
  const source = ctx.set.sources[name];
  return isAvailable(source) && source.type === 'arazzo' ? source.document : undefined;
}
