// preflight-one-time-value-lost: an output that captures a value an API shows once (a new key, secret,
// token, password, connection string) that nothing delivers: not a workflow output, not read by another
// step. When the run ends the value is gone, and the credential must be rotated again.
//
// A name is not evidence (`nextPageToken` is a "token" shown on every page), so the severity is what the
// OpenAPI description shows (ARCHITECTURE.md, "Severity by evidence"):
// - error: the operation creates (POST, or a 201 success) a value that is a credential by its name or by
//   its schema (`format: password`, `writeOnly`, `x-secret`), and no GET operation of the description
//   returns a field of that name: the description offers no other way to see it again;
// - warning: created, but a GET operation returns a field of that name (it might be readable again, or
//   masked there); or not created but marked secret by its schema;
// - hint: only the name says credential (a value a GET returns, a pagination cursor).
// Not reported (decided, issue 18): a value a later step of the workflow captures again under the same
// field or output name (a token replaced by a refresh: the old one is superseded, not lost); a value
// a later step reads back and delivers (it was not one-time).
//
// The field read decides the name (the last segment of the body pointer, or the header name); the output's
// name decides only when the field says nothing (the whole body, or a generic `value`/`data`): otherwise
// `oldKeyComment` reading `#/.../comment` would count as a key. Ids (`api_key_id`) and fields the schema
// types as non-strings (`api_keys`, a list) are not secret values.
import type { LoadedOpenApiSource } from '../../document/document-set.js';
import { escapePointerToken, parsePointer } from '../../document/json-pointer.js';
import { listOperations, type ResolvedOperation } from '../../document/operation-index.js';
import { parseRuntimeExpression } from '../../expressions/index.js';
import type { Finding } from '../../model.js';
import { isObject } from '../../validate/document-walk.js';
import { operationLabel, type PreflightContext, type StepTarget, stepLabel, type WorkflowFlow } from '../context.js';
import { declaredResponses, readableBodies, responseBody, successKeys } from '../responses.js';
import { listPointers, reachSchemas, typesAt } from '../schema-paths.js';
import { isOutputRead } from '../step-outputs.js';

const CREDENTIAL_WORDS = new Set([
  'key',
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'credentials',
]);

const GENERIC_FIELDS = new Set(['value', 'data', 'result', 'content', 'body']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

const isId = (name: string) => words(name).some((word) => word === 'id' || word === 'ids');
const isCredential = (name: string) =>
  words(name).some((word) => CREDENTIAL_WORDS.has(word)) ||
  name
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .includes('connectionstring');

/** What an output reads: the field that names it, and where it comes from. */
interface CapturedValue {
  name: string;
  value: string;
  source: 'body' | 'header';
  segments: string[];
  field: string;
}

function capturedValues(target: StepTarget): CapturedValue[] {
  const outputs = target.stepNode.step.outputs;
  if (!isObject(outputs)) return [];
  const captured: CapturedValue[] = [];
  for (const [name, value] of Object.entries(outputs)) {
    if (typeof value !== 'string') continue;
    const parsed = parseRuntimeExpression(value);
    if (!parsed.ok || parsed.value.kind !== 'response') continue;
    const expression = parsed.value;
    if (expression.source !== 'body' && expression.source !== 'header') continue;
    let segments: string[] = [];
    try {
      segments = expression.source === 'body' ? parsePointer(expression.pointer ?? '') : [];
    } catch {
      continue;
    }
    const field = expression.source === 'body' ? segments[segments.length - 1] : expression.name;
    captured.push({ name, value, source: expression.source, segments, field: field ?? '' });
  }
  return captured;
}

const SECRET_FORMATS = new Set(['password']);
const marksSecret = (schema: Record<string, unknown>) =>
  schema.writeOnly === true ||
  schema['x-secret'] === true ||
  (typeof schema.format === 'string' && SECRET_FORMATS.has(schema.format));

/** The operation mints something: a POST, or an operation whose success is 201 Created. */
const creates = (operation: ResolvedOperation) =>
  operation.method === 'post' || successKeys(declaredResponses(operation)).includes('201');

/** Property names the success responses of a source's GET operations declare, by operation (cached per source). */
const namesReturnedByGets = new WeakMap<object, Map<string, string>>();

function getReturning(set: PreflightContext['set'], operation: ResolvedOperation, field: string): string | undefined {
  const source = set.sources[operation.sourceName] as LoadedOpenApiSource | undefined;
  if (!source || !('document' in source)) return undefined;
  let names = namesReturnedByGets.get(source.document);
  if (!names) {
    names = new Map();
    for (const candidate of listOperations(operation.sourceName, source)) {
      if (candidate.method !== 'get') continue;
      const declared = declaredResponses(candidate);
      for (const key of successKeys(declared)) {
        const body = responseBody(declared, key);
        if (body.kind !== 'schema') continue;
        for (const listed of listPointers(body.schema)) {
          const last = listed.segments[listed.segments.length - 1];
          if (!names.has(last)) names.set(last, operationLabel(candidate));
        }
      }
    }
    namesReturnedByGets.set(source.document, names);
  }
  return names.get(field);
}

/** A later step captures the same field (or an output of the same name): the value is superseded or read back. */
function capturedAgainLater(flow: WorkflowFlow, target: StepTarget, captured: CapturedValue): StepTarget | undefined {
  const index = flow.steps.indexOf(target);
  for (const later of flow.steps.slice(index + 1)) {
    for (const again of capturedValues(later)) {
      if (again.field === captured.field || again.name === captured.name) {
        if (isOutputRead(flow, later, again.name) || capturedAgainLater(flow, later, again)) return later;
      }
    }
  }
  return undefined;
}

export function checkOneTimeValueLost(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode, operation } = target;
  for (const captured of capturedValues(target)) {
    const { name, value, field, segments } = captured;
    const decisive = field && !GENERIC_FIELDS.has(field.toLowerCase()) ? field : name;
    let secretMarked = false;
    if (operation && captured.source === 'body') {
      const roots = readableBodies(operation, stepNode.step.successCriteria, 'success').flatMap((body) =>
        body.kind === 'schema' ? [body.schema] : [],
      );
      const types = roots.length > 0 ? typesAt(roots, segments) : undefined;
      if (types && !types.has('string')) continue;
      secretMarked = roots.some((root) => reachSchemas(root, segments).schemas.some(marksSecret));
    }
    if (isId(decisive) || !(secretMarked || isCredential(decisive))) continue;
    if (isOutputRead(flow, target, name)) continue;
    if (capturedAgainLater(flow, target, captured)) continue;
    const created = operation !== undefined && creates(operation);
    const readableWith = operation && field ? getReturning(ctx.set, operation, field) : undefined;
    let severity: Finding['severity'];
    let evidence: string;
    if (created && !readableWith) {
      severity = 'error';
      evidence = `${operationLabel(operation)} creates it and no GET operation of the description returns \`${field}\``;
    } else if (created) {
      severity = 'warning';
      evidence = `${operationLabel(operation)} creates it; ${readableWith} also returns a \`${field}\`, which may or may not show it again`;
    } else if (secretMarked) {
      severity = 'warning';
      evidence = 'its schema marks it secret';
    } else {
      severity = 'hint';
      evidence = 'only its name suggests a credential';
    }
    const reference = `$steps.${stepLabel(stepNode)}.outputs.${name}`;
    ctx.report({
      code: 'preflight-one-time-value-lost',
      severity,
      message: `output \`${name}\` captures a value that may be shown only once (\`${value}\`; ${evidence}), and it is neither a workflow output nor read by another step: it is lost when the run ends`,
      hint: `return it in the workflow's outputs (e.g. \`${name}: ${reference}\`) or deliver it in a later step`,
      pointer: `${stepNode.pointer}/outputs/${escapePointerToken(name)}`,
    });
  }
}
