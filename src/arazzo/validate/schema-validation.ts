import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { joinPointer, parsePointer } from '../document/json-pointer.js';
import type { SourceMap } from '../document/source-map.js';
import type { Finding } from '../model.js';
import {
  type ArazzoMinorVersion,
  arazzoMinorVersion,
  hasUnsupportedArazzoVersion,
} from '../document/arazzo-version.js';
import arazzo10Schema from '../schema/arazzo-1.0-schema.json' with { type: 'json' };
import arazzo11Schema from '../schema/arazzo-1.1-schema.json' with { type: 'json' };
import { createAjv2020 } from './ajv-2020.js';
import { didYouMean } from './did-you-mean.js';
import { toFinding } from './rule-context.js';

/**
 * The schema each Arazzo version is validated against: the official files, with the local
 * corrections each names in a `$comment` (src/arazzo/schema/README.md lists them).
 */
const SCHEMAS: Record<ArazzoMinorVersion, { $id: string; $defs: Record<string, object> }> = {
  '1.0': arazzo10Schema as never,
  '1.1': arazzo11Schema as never,
};

/** What a document was (or would be) validated against: its Arazzo minor version and the schema's `$id`. */
export interface SchemaChoice {
  version: ArazzoMinorVersion;
  schemaId: string;
}

/**
 * The schema a document is validated against. A document without a usable `arazzo` string is
 * judged by the 1.0 schema, which says what the field must be; an unsupported version string
 * (`2.0.0`) gets no schema at all (checkArazzoVersion's one finding says it all).
 */
export function schemaFor(document: unknown): SchemaChoice {
  const version = arazzoMinorVersion(document) ?? '1.0';
  return { version, schemaId: SCHEMAS[version].$id };
}

const compiled = new Map<ArazzoMinorVersion, { validate: ValidateFunction; ajv: Ajv2020 }>();

/**
 * A version's schema, compiled once on first use. `inlineRefs: false` keeps each error's
 * schemaPath inside the `$defs` entry it came from, which is how errors are told apart by branch.
 */
function arazzoValidator(version: ArazzoMinorVersion): { validate: ValidateFunction; ajv: Ajv2020 } {
  let entry = compiled.get(version);
  if (!entry) {
    const ajv = createAjv2020({ allErrors: true, strict: false, verbose: true, inlineRefs: false });
    entry = { validate: ajv.compile(SCHEMAS[version]), ajv };
    compiled.set(version, entry);
  }
  return entry;
}

/**
 * Checks a parsed document against the official Arazzo 1.0 JSON Schema and turns ajv's errors into
 * findings located at the offending value. ajv reports every failing branch of a `oneOf`/`anyOf`;
 * those are collapsed to the branch that came closest, and `oneOf`s whose branches only say which
 * property is required (step: operationId/operationPath/workflowId; goto: stepId/workflowId) are left
 * to the semantic rules, which say it in one sentence.
 */
export function validateAgainstArazzoSchema(document: unknown, sourceMap: SourceMap): Finding[] {
  if (hasUnsupportedArazzoVersion(document)) return [];
  const { version } = schemaFor(document);
  const { validate, ajv } = arazzoValidator(version);
  if (validate(document)) return [];
  const definitions = SCHEMAS[version].$defs;
  const raw = judgeStepsByTheirKind(validate.errors ?? [], ajv, SCHEMAS[version].$id);
  const errors = collapseAlternatives(raw, definitions).filter(
    // `if` only says "must match then"; the `then` errors say why. A bad `arazzo` version string is
    // reported by checkArazzoVersion with a better message.
    (error) => error.keyword !== 'if' && !(error.instancePath === '/arazzo' && error.keyword === 'pattern'),
  );
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of errors) {
    const { pointer, message, hint } = describeError(error, document);
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(toFinding(document, sourceMap, { code: 'schema', message, hint, pointer }));
  }
  return findings;
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

/**
 * Which branch of `alternative` (a oneOf/anyOf error) `error` came from, or undefined. ajv (with
 * `verbose`) gives each error the schema object holding the failing keyword; an error belongs to a
 * branch when that object is part of the branch, following the branch's own `$ref` one level.
 */
function branchOf(
  error: ErrorObject,
  alternative: ErrorObject,
  definitions: Record<string, object>,
): number | undefined {
  if (error === alternative || !isUnder(error.instancePath, alternative.instancePath)) return undefined;
  const branches = (alternative.schema as object[] | undefined) ?? [];
  const index = branches.findIndex((branch) => schemaObjectsOf(branch, definitions).has(error.parentSchema as object));
  return index >= 0 ? index : undefined;
}

const schemaObjectsCache = new WeakMap<object, Set<object>>();

function schemaObjectsOf(branch: object, definitions: Record<string, object>): Set<object> {
  const cached = schemaObjectsCache.get(branch);
  if (cached) return cached;
  const objects = new Set<object>();
  const collect = (node: unknown) => {
    if (!node || typeof node !== 'object' || objects.has(node)) return;
    objects.add(node);
    for (const child of Object.values(node)) collect(child);
  };
  collect(branch);
  const ref = (branch as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) collect(definitions[ref.slice('#/$defs/'.length)]);
  schemaObjectsCache.set(branch, objects);
  return objects;
}

const WRONG_KIND = new Set(['type', 'enum', 'const']);

function collapseAlternatives(errors: ErrorObject[], definitions: Record<string, object>): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const alternatives = errors
    .filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf')
    .sort((a, b) => a.instancePath.length - b.instancePath.length || errors.indexOf(b) - errors.indexOf(a));

  // Pass 1: exactly-one-of-these-properties alternatives are the semantic rules' to report. They
  // are dropped, but remembered as one failure of the branch that contains them.
  const phantoms: ErrorObject[] = [];
  for (const alternative of alternatives) {
    const onlyRequired = (alternative.schema as unknown[] | undefined)?.every(
      (branch) => branch && typeof branch === 'object' && Object.keys(branch).join() === 'required',
    );
    if (!onlyRequired) continue;
    phantoms.push(alternative);
    dropped.add(alternative);
    for (const error of errors) if (branchOf(error, alternative, definitions) !== undefined) dropped.add(error);
  }

  // Pass 2, outermost first: keep the branch that failed least (the one the author most likely
  // meant) and drop the others' errors.
  for (const alternative of alternatives) {
    if (dropped.has(alternative)) continue;
    const branches = new Map<number, { errors: ErrorObject[]; score: number }>();
    const add = (error: ErrorObject, visible: boolean) => {
      const index = branchOf(error, alternative, definitions);
      if (index === undefined) return;
      const branch = branches.get(index) ?? { errors: [], score: 0 };
      if (visible) branch.errors.push(error);
      // A branch whose very shape the value lacks (a string enum for an object) is a worse guess
      // than one it fits but for a detail (an object with a wrong version inside).
      branch.score += error.instancePath === alternative.instancePath && WRONG_KIND.has(error.keyword) ? 10 : 1;
      branches.set(index, branch);
    };
    for (const error of errors) if (!dropped.has(error) && error.keyword !== 'if') add(error, true);
    for (const phantom of phantoms) add(phantom, false);
    const passing = (alternative.params as { passingSchemas?: number[] | null }).passingSchemas;
    if (passing || branches.size === 0) continue;
    const best = [...branches.values()].reduce((a, b) => (b.score < a.score ? b : a));
    dropped.add(alternative);
    for (const branch of branches.values()) if (branch !== best) for (const error of branch.errors) dropped.add(error);
  }
  return errors.filter((error) => !dropped.has(error));
}

const STEP_KINDS: Record<string, (step: Record<string, unknown>) => boolean> = {
  '#/$defs/workflow-step-object': (step) => step.workflowId !== undefined,
  '#/$defs/asyncapi-step-object': (step) =>
    step.workflowId === undefined && (step.channelPath !== undefined || step.action !== undefined),
  '#/$defs/openapi-step-object': (step) =>
    step.workflowId === undefined && step.channelPath === undefined && step.action === undefined,
};

/**
 * The 1.1 Step is a oneOf of an OpenAPI, an AsyncAPI and a workflow step. What a step is for is
 * plain from its fields (workflowId; channelPath or action; otherwise an operation), so its errors
 * are those of that kind alone: the step is validated again against that definition, and its
 * errors replace everything the oneOf produced under the step (the other kinds' complaints, such as
 * "missing action" for an OpenAPI step, would only mislead).
 */
function judgeStepsByTheirKind(errors: ErrorObject[], ajv: Ajv2020, schemaId: string): ErrorObject[] {
  let result = errors;
  for (const alternative of errors) {
    if (alternative.keyword !== 'oneOf') continue;
    const branches = alternative.schema as Array<{ $ref?: string }> | undefined;
    const step = alternative.data;
    if (!Array.isArray(branches) || !step || typeof step !== 'object' || Array.isArray(step)) continue;
    if (!branches.every((branch) => typeof branch?.$ref === 'string' && branch.$ref in STEP_KINDS)) continue;
    const kind = branches.find((branch) => STEP_KINDS[branch.$ref as string](step as Record<string, unknown>));
    const validateKind = kind && ajv.getSchema(`${schemaId}${kind.$ref}`);
    if (!validateKind || validateKind(step)) continue;
    const at = alternative.instancePath;
    result = [
      ...result.filter((error) => !isUnder(error.instancePath, at)),
      ...(validateKind.errors ?? []).map((error) => ({ ...error, instancePath: at + error.instancePath })),
    ];
  }
  return result;
}

function describeError(error: ErrorObject, document: unknown): { pointer: string; message: string; hint?: string } {
  const at = error.instancePath;
  const subject = describePointer(at, document);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return { pointer: at, message: `${subject} is missing required property "${params.missingProperty}"` };
    case 'unevaluatedProperties':
    case 'additionalProperties': {
      const property: string = params.unevaluatedProperty ?? params.additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: joinPointer(at, property),
        message: `${subject} has unknown property "${property}"`,
        hint: didYouMean(property, known, 'extension properties must start with "x-"'),
      };
    }
    case 'type':
      return { pointer: at, message: `${subject} must be ${article(String(params.type).replace(/,/g, ' or '))}` };
    case 'enum':
      return {
        pointer: at,
        message: `${subject} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`,
        hint: typeof error.data === 'string' ? didYouMean(error.data, params.allowedValues as string[]) : undefined,
      };
    case 'dependentRequired':
      return {
        pointer: at,
        message: `${subject} has "${params.property}" so it must also have "${params.missingProperty}"`,
        hint:
          params.property === 'type' && params.missingProperty === 'context'
            ? 'regex, jsonpath and xpath conditions are applied to a context, e.g. `context: $response.body`'
            : undefined,
      };
    case 'uniqueItems':
      return { pointer: at, message: `${subject} has duplicate items (${params.j} and ${params.i} are identical)` };
    case 'oneOf':
    case 'anyOf':
      return {
        pointer: at,
        message: params.passingSchemas
          ? `${subject} matches more than one of the allowed forms`
          : `${subject} does not match any of the allowed forms`,
      };
    default:
      return { pointer: at, message: `${subject} ${error.message ?? 'is invalid'}` };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A readable name for the value at `pointer`: `step "create" of workflow "rotate"`, `the document`... */
export function describePointer(pointer: string, document: unknown): string {
  if (pointer === '') return 'the document';
  const segments = parsePointer(pointer);
  const names: string[] = [];
  let node: any = document;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const parentKey = segments[index - 1];
    node = node?.[segment];
    const id =
      (parentKey === 'workflows' && node?.workflowId) ||
      (parentKey === 'steps' && node?.stepId) ||
      (parentKey === 'sourceDescriptions' && node?.name) ||
      ((parentKey === 'parameters' || parentKey === 'onSuccess' || parentKey === 'onFailure') && node?.name);
    const singular: Record<string, string> = {
      workflows: 'workflow',
      steps: 'step',
      sourceDescriptions: 'source description',
      parameters: 'parameter',
      successCriteria: 'success criterion',
      criteria: 'criterion',
      onSuccess: 'success action',
      onFailure: 'failure action',
      successActions: 'success action',
      failureActions: 'failure action',
      replacements: 'replacement',
    };
    if (/^\d+$/.test(segment) && parentKey && singular[parentKey]) {
      names.pop();
      names.push(typeof id === 'string' ? `${singular[parentKey]} "${id}"` : `${singular[parentKey]} ${segment}`);
    } else {
      names.push(`"${segment}"`);
    }
  }
  // Read innermost first: `"condition" of success criterion 0 of step "a" of workflow "w"`.
  return names.reverse().join(' of ');
}
