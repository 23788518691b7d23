import type { ErrorObject, ValidateFunction } from 'ajv';
import { joinPointer, parsePointer } from '../document/json-pointer.js';
import type { SourceMap } from '../document/source-map.js';
import type { Finding } from '../model.js';
import arazzoSchema from '../schema/arazzo-1.0-schema.json' with { type: 'json' };
import { createAjv2020 } from './ajv-2020.js';
import { didYouMean } from './did-you-mean.js';
import { toFinding } from './rule-context.js';

let compiled: ValidateFunction | undefined;

/**
 * The official Arazzo 1.0 schema, compiled once on first use. `inlineRefs: false` keeps each error's
 * schemaPath inside the `$defs` entry it came from, which is how errors are told apart by branch.
 */
function arazzoValidator(): ValidateFunction {
  compiled ??= createAjv2020({ allErrors: true, strict: false, verbose: true, inlineRefs: false }).compile(
    arazzoSchema,
  );
  return compiled;
}

/**
 * Checks a parsed document against the official Arazzo 1.0 JSON Schema and turns ajv's errors into
 * findings located at the offending value. ajv reports every failing branch of a `oneOf`/`anyOf`;
 * those are collapsed to the branch that came closest, and `oneOf`s whose branches only say which
 * property is required (step: operationId/operationPath/workflowId; goto: stepId/workflowId) are left
 * to the semantic rules, which say it in one sentence.
 */
export function validateAgainstArazzoSchema(document: unknown, sourceMap: SourceMap): Finding[] {
  const validate = arazzoValidator();
  if (validate(document)) return [];
  const errors = collapseAlternatives(validate.errors ?? []).filter(
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
function branchOf(error: ErrorObject, alternative: ErrorObject): number | undefined {
  if (error === alternative || !isUnder(error.instancePath, alternative.instancePath)) return undefined;
  const branches = (alternative.schema as object[] | undefined) ?? [];
  const index = branches.findIndex((branch) => schemaObjectsOf(branch).has(error.parentSchema as object));
  return index >= 0 ? index : undefined;
}

const schemaObjectsCache = new WeakMap<object, Set<object>>();

function schemaObjectsOf(branch: object): Set<object> {
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
  const definitions = (arazzoSchema as { $defs: Record<string, object> }).$defs;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) collect(definitions[ref.slice('#/$defs/'.length)]);
  schemaObjectsCache.set(branch, objects);
  return objects;
}

function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
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
    for (const error of errors) if (branchOf(error, alternative) !== undefined) dropped.add(error);
  }

  // Pass 2, outermost first: keep the branch that failed least (the one the author most likely
  // meant) and drop the others' errors.
  for (const alternative of alternatives) {
    if (dropped.has(alternative)) continue;
    const branches = new Map<number, { errors: ErrorObject[]; score: number }>();
    const add = (error: ErrorObject, visible: boolean) => {
      const index = branchOf(error, alternative);
      if (index === undefined) return;
      const branch = branches.get(index) ?? { errors: [], score: 0 };
      if (visible) branch.errors.push(error);
      branch.score++;
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
