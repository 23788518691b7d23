import { getAtPointer, joinPointer } from '../../document/json-pointer.js';
import { didYouMean } from '../did-you-mean.js';
import { componentsOf, isObject, itemsOf, type JsonObject, stepsOf, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

const COMPONENT_REFERENCE = /^\$components\.([A-Za-z]+)\.(.+)$/;

/** The component a `$components.<kind>.<name>` reference names, if it exists and is of `kind`. */
export function resolveComponent(ctx: RuleContext, reference: string, kind: string): JsonObject | undefined {
  const match = COMPONENT_REFERENCE.exec(reference);
  if (!match || match[1] !== kind) return undefined;
  const group = componentsOf(ctx.document)[kind];
  const component = isObject(group) ? group[match[2]] : undefined;
  return isObject(component) ? component : undefined;
}

/** Reports a `$components.<kind>.<name>` reference that does not name an existing component of `kind`. */
export function checkComponentReference(ctx: RuleContext, reference: string, kind: string, pointer: string): void {
  const match = COMPONENT_REFERENCE.exec(reference);
  if (!match) {
    ctx.report({
      code: 'invalid-component-reference',
      message: `reference "${reference}" is not of the form $components.${kind}.<name>`,
      pointer,
    });
    return;
  }
  const [, actualKind, name] = match;
  if (actualKind !== kind) {
    ctx.report({
      code: 'component-kind-mismatch',
      message: `reference "${reference}" names a ${actualKind} component where ${kind} are expected`,
      hint: `use $components.${kind}.<name>`,
      pointer,
    });
    return;
  }
  const group = componentsOf(ctx.document)[kind];
  const names = isObject(group) ? Object.keys(group) : [];
  if (names.includes(name)) return;
  ctx.report({
    code: 'unknown-component',
    message: `reference "${reference}": there is no components.${kind}.${name}`,
    hint: didYouMean(
      name,
      names,
      names.length ? `known ${kind}: ${names.join(', ')}` : `the document defines no components.${kind}`,
    ),
    pointer,
  });
}

/**
 * Every Reusable Object (`reference:` in parameters and actions) and every local `$ref` in input
 * schemas names something that exists.
 */
export function checkComponentReferences(ctx: RuleContext): void {
  const checkList = (owner: JsonObject, field: string, ownerPointer: string, kind: string) => {
    for (const { item, pointer } of itemsOf(owner, field, ownerPointer)) {
      if (typeof item.reference === 'string')
        checkComponentReference(ctx, item.reference, kind, `${pointer}/reference`);
    }
  };
  for (const workflow of workflowsOf(ctx.document)) {
    checkList(workflow.workflow, 'parameters', workflow.pointer, 'parameters');
    checkList(workflow.workflow, 'successActions', workflow.pointer, 'successActions');
    checkList(workflow.workflow, 'failureActions', workflow.pointer, 'failureActions');
    for (const step of stepsOf(workflow)) {
      checkList(step.step, 'parameters', step.pointer, 'parameters');
      checkList(step.step, 'onSuccess', step.pointer, 'successActions');
      checkList(step.step, 'onFailure', step.pointer, 'failureActions');
    }
    checkSchemaRefs(ctx, workflow.workflow.inputs, `${workflow.pointer}/inputs`);
  }
  const inputs = componentsOf(ctx.document).inputs;
  if (isObject(inputs)) {
    for (const [name, schema] of Object.entries(inputs)) checkSchemaRefs(ctx, schema, `/components/inputs/${name}`);
  }
}

/** Local `$ref`s (`#/components/inputs/x`) inside a JSON Schema must resolve within this document. */
function checkSchemaRefs(ctx: RuleContext, schema: unknown, pointer: string): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, index) => {
      checkSchemaRefs(ctx, item, `${pointer}/${index}`);
    });
    return;
  }
  if (!isObject(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    const childPointer = joinPointer(pointer, key);
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      let target: unknown;
      try {
        target = getAtPointer(ctx.document, value);
      } catch {
        target = undefined;
      }
      if (target === undefined) {
        const inputNames = Object.keys(
          isObject(componentsOf(ctx.document).inputs) ? componentsOf(ctx.document).inputs : {},
        );
        const name = /^#\/components\/inputs\/(.+)$/.exec(value)?.[1];
        ctx.report({
          code: 'unknown-component',
          message: `$ref "${value}" does not resolve within this document`,
          hint: name ? didYouMean(name, inputNames) : undefined,
          pointer: childPointer,
        });
      }
    } else {
      checkSchemaRefs(ctx, value, childPointer);
    }
  }
}
