import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema, Workflow } from '../model.js';
import { closest } from '../expressions/hints.js';
import { createAjv2020 } from './ajv-2020.js';

export interface InputError {
  /** The input concerned (top-level property name), or `""` for the inputs object itself. */
  input: string;
  /** JSON Pointer of the offending value within the inputs. */
  pointer: string;
  /** The ajv keyword that failed: `required`, `type`, `enum`, ... */
  rule: string;
  /** e.g. `input "databaseId": is required`, `input "scopes": must be array`. */
  message: string;
}

export type InputValidation =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; value: Record<string, unknown>; errors: InputError[] };

/** `useDefaults` fills in schema defaults; `strict: false` because authors' schemas use annotations ajv doesn't know. */
const ajv = createAjv2020({ allErrors: true, useDefaults: true, strict: false });
const compiledByWorkflow = new WeakMap<object, ValidateFunction>();

/**
 * Validates a run's inputs against the workflow's `inputs` schema (JSON Schema 2020-12) and returns
 * them with schema defaults applied (the caller's object is not modified). `components` resolves the
 * `$ref: '#/components/inputs/x'` references that inputs schemas commonly use.
 */
export function validateInputs(
  workflow: Pick<Workflow, 'inputs'>,
  inputs: unknown,
  components?: { inputs?: Record<string, JsonSchema> },
): InputValidation {
  const value = structuredClone(inputs ?? {}) as Record<string, unknown>;
  if (workflow.inputs === undefined) return { ok: true, value };
  let validate = typeof workflow.inputs === 'object' ? compiledByWorkflow.get(workflow.inputs) : undefined;
  if (!validate) {
    // Local `#/components/...` refs resolve against a root that carries the document's components.
    const root =
      typeof workflow.inputs === 'object' ? { ...workflow.inputs, components: components ?? {} } : workflow.inputs;
    validate = ajv.compile(root);
    if (typeof workflow.inputs === 'object') compiledByWorkflow.set(workflow.inputs, validate);
  }
  if (validate(value)) return { ok: true, value };
  const known = knownInputs(workflow.inputs);
  return { ok: false, value, errors: (validate.errors ?? []).map((e) => toInputError(e, known)) };
}

/** The top-level input names the schema declares (for "did you mean"). */
function knownInputs(schema: unknown): string[] {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}

function toInputError(error: ErrorObject, known: readonly string[]): InputError {
  const params = error.params as Record<string, any>;
  const segments = error.instancePath.split('/').slice(1);
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    // ajv says only "must NOT have additional properties": name the property, and what it may have meant.
    const extra = String(params.additionalProperty ?? params.unevaluatedProperty);
    const path = [...segments, extra].join('.');
    const guess = segments.length === 0 ? closest(extra, known) : undefined;
    return {
      input: segments[0] ?? extra,
      pointer: `${error.instancePath}/${extra}`,
      rule: error.keyword,
      message: `input "${path}": not an input of this workflow${guess ? ` (did you mean "${guess}"?)` : ''}`,
    };
  }
  if (error.keyword === 'required') {
    const pointer = `${error.instancePath}/${params.missingProperty}`;
    const input = segments[0] ?? params.missingProperty;
    const path =
      segments.length > 0 ? `${error.instancePath}/${params.missingProperty}`.slice(1).replace(/\//g, '.') : input;
    return { input, pointer, rule: 'required', message: `input "${path}": is required` };
  }
  const input = segments[0] ?? '';
  const path = segments.join('.');
  return {
    input,
    pointer: error.instancePath,
    rule: error.keyword,
    message: path ? `input "${path}": ${error.message}` : `inputs: ${error.message}`,
  };
}
