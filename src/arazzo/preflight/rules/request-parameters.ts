// Parameters of the request against the operation's parameters.
//
// - preflight-missing-required-parameter (error): a required query/header/cookie parameter the step
//   does not pass. Path parameters are left to validate's missing-path-parameter /
//   unknown-path-parameter rules, which already check them against the path template.
// - preflight-required-from-optional-input (warning): a required parameter fed only by an optional
//   workflow input (not required, no default): the request is incomplete whenever the caller omits it.
// - preflight-unknown-parameter (warning): a parameter the step passes that the operation does not
//   declare under that name and location (only where the step writes it: workflow-level parameters
//   apply to every step and need not fit each one).
//
// Credentials are not checked here: `Authorization`, `Accept` and `Content-Type` headers (OpenAPI
// ignores parameter definitions with these names) and the names of the source's `apiKey` security
// schemes are covered by securitySchemes, whichever way a document chooses to pass them.
import { isAvailable } from '../../document/document-set.js';
import { isObject } from '../../validate/document-walk.js';
import { didYouMean } from '../../validate/did-you-mean.js';
import { type EffectiveParameter, effectiveParameters } from '../../validate/effective-parameters.js';
import { operationLabel, type PreflightContext, type StepTarget, type WorkflowFlow } from '../context.js';
import { optionalInputsIn } from '../workflow-inputs.js';

interface DeclaredParameter {
  name: string;
  in: string;
  required: boolean;
}

const key = (location: string, name: string) => `${location}:${location === 'header' ? name.toLowerCase() : name}`;

/** The operation's parameters: the path item's, overridden by the operation's (same name and location). */
function declaredParameters(target: StepTarget): DeclaredParameter[] {
  const byKey = new Map<string, DeclaredParameter>();
  const operation = target.operation!;
  for (const parameter of [...operation.pathItemParameters, ...(operation.operation.parameters ?? [])]) {
    if (!isObject(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') continue;
    byKey.set(key(parameter.in, parameter.name), {
      name: parameter.name,
      in: parameter.in,
      required: parameter.required === true || parameter.in === 'path',
    });
  }
  return [...byKey.values()];
}

/** Credentials and headers the HTTP layer owns: `header:authorization`, `query:api_key`, ... */
function credentialKeys(ctx: PreflightContext, target: StepTarget): Set<string> {
  const keys = new Set([key('header', 'Authorization'), key('header', 'Accept'), key('header', 'Content-Type')]);
  const source = ctx.set.sources[target.operation!.sourceName];
  const schemes = isAvailable(source) && source.type === 'openapi' ? source.document.components?.securitySchemes : {};
  if (isObject(schemes)) {
    for (const scheme of Object.values(schemes)) {
      if (
        isObject(scheme) &&
        scheme.type === 'apiKey' &&
        typeof scheme.name === 'string' &&
        typeof scheme.in === 'string'
      )
        keys.add(key(scheme.in, scheme.name));
    }
  }
  return keys;
}

export function checkRequestParameters(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  const { stepNode, operation } = target;
  if (!operation) return;
  const label = operationLabel(operation);
  const declared = declaredParameters(target);
  const skipped = credentialKeys(ctx, target);
  const passed = effectiveParameters(ctx.document, stepNode).filter(
    (parameter): parameter is EffectiveParameter & { in: string } => typeof parameter.in === 'string',
  );
  const passedByKey = new Map(passed.map((parameter) => [key(parameter.in, parameter.name), parameter]));

  for (const parameter of declared) {
    const id = key(parameter.in, parameter.name);
    if (!parameter.required || skipped.has(id)) continue;
    const given = passedByKey.get(id);
    if (!given) {
      if (parameter.in === 'path') continue;
      ctx.report({
        code: 'preflight-missing-required-parameter',
        message: `${parameter.in} parameter \`${parameter.name}\` is required by ${label} but the step does not pass it`,
        hint: `add { name: ${parameter.name}, in: ${parameter.in}, value: ... } to the step's parameters`,
        pointer: stepNode.step.parameters !== undefined ? `${stepNode.pointer}/parameters` : stepNode.pointer,
      });
      continue;
    }
    const optional = optionalInputsIn(ctx.document, flow.workflow, given.value);
    if (optional.length > 0) {
      ctx.report({
        severity: 'warning',
        code: 'preflight-required-from-optional-input',
        message: `\`${parameter.name}\` is required by ${label} but fed by optional input ${optional.map((name) => `\`${name}\``).join(', ')}`,
        hint: `make ${optional.join(', ')} required in the workflow inputs, or give ${optional.length > 1 ? 'them' : 'it'} a default`,
        pointer: `${given.pointer}/value`,
      });
    }
  }

  for (const parameter of passed) {
    const id = key(parameter.in, parameter.name);
    if (parameter.level !== 'step' || parameter.in === 'path' || skipped.has(id)) continue;
    if (declared.some((candidate) => key(candidate.in, candidate.name) === id)) continue;
    const elsewhere = declared.find((candidate) => candidate.name.toLowerCase() === parameter.name.toLowerCase());
    const sameLocation = declared
      .filter((candidate) => candidate.in === parameter.in)
      .map((candidate) => candidate.name);
    ctx.report({
      severity: 'warning',
      code: 'preflight-unknown-parameter',
      message: elsewhere
        ? `\`${parameter.name}\` is a ${elsewhere.in} parameter of ${label}, not a ${parameter.in} parameter`
        : `${label} declares no ${parameter.in} parameter \`${parameter.name}\``,
      hint: elsewhere
        ? `write in: ${elsewhere.in}`
        : didYouMean(
            parameter.name,
            sameLocation,
            sameLocation.length > 0
              ? `its ${parameter.in} parameters: ${sameLocation.join(', ')}`
              : `it declares no ${parameter.in} parameters; the API ignores or rejects it`,
          ),
      pointer: `${parameter.pointer}/name`,
    });
  }
}
