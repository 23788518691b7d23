// The loadPlan activity's secret checks: before the run sends anything, every reference must be one
// the worker allows and can read, may go to the host its steps call, and every delivery must name a
// configured sink and an output the run can produce. Also turns plainly given secret inputs into
// `input:` references, so the inputs the workflow keeps (and passes to every step) hold no value.
import type { Plan } from '../arazzo/plan/types.js';
import { isSecretSchema } from '../arazzo/secrets/mask.js';
import { hostOf } from '../arazzo/request/hosts.js';
import { hostProblem, type SecretPolicy } from './policy.js';
import { checkRef, resolveRef, SecretRefError } from './resolver.js';
import { collectRefs, isSecretRef, type SecretRef } from '../arazzo/secrets/refs.js';
import { parseDeliverySpec, sinksFor } from './sinks.js';

export interface PreparedInputs {
  /** Values to validate against the schema (references read). Never returned from the activity. */
  resolved: Record<string, unknown>;
  /** What the run keeps: secret inputs as references. */
  kept: Record<string, unknown>;
  /** Names of the inputs that are secret. */
  secretNames: string[];
  /** Secret values, to scrub from refusal messages. */
  secretValues: unknown[];
}

export function inputSchemas(workflowInputs: unknown, components?: { inputs?: Record<string, unknown> }) {
  let schema = workflowInputs as Record<string, any> | undefined;
  const ref = schema?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/inputs/')) {
    schema = components?.inputs?.[ref.slice('#/components/inputs/'.length)] as Record<string, any> | undefined;
  }
  const properties = (schema?.properties ?? {}) as Record<string, unknown>;
  return properties;
}

export async function prepareInputs(
  inputs: Record<string, unknown>,
  properties: Record<string, unknown>,
  policy: SecretPolicy,
): Promise<PreparedInputs> {
  const resolved: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  const secretNames = Object.keys({ ...properties, ...inputs }).filter((n) => isSecretSchema(n, properties[n]));
  const secretValues: unknown[] = [];
  for (const [name, value] of Object.entries(inputs)) {
    const secret = secretNames.includes(name);
    if (isSecretRef(value)) {
      if (!secret) {
        throw new SecretRefError(
          'SecretNotAllowed',
          `input "${name}" is not a secret input (format: password, writeOnly, x-secret or a credential name); it cannot be a reference`,
        );
      }
      checkRef(value, policy, false);
      const read = await resolveRef(value, { policy });
      resolved[name] = read;
      secretValues.push(read);
      kept[name] = { $secret: value.$secret };
      continue;
    }
    if (collectRefs(value).length) {
      throw new SecretRefError('SecretNotAllowed', `input "${name}": a reference must be the whole input value`);
    }
    resolved[name] = value;
    if (secret && value !== undefined && value !== null) {
      secretValues.push(value);
      kept[name] = { $secret: `input:${name}` } satisfies SecretRef;
    } else kept[name] = value;
  }
  return { resolved, kept, secretNames, secretValues };
}

/** Each secret input a step sends must be allowed toward that step's host (explicit bindings can forbid it). */
export function checkSecretHosts(
  plan: Plan,
  kept: Record<string, unknown>,
  servers: Record<string, string> | undefined,
  policy: SecretPolicy,
  allowedServerHosts: readonly string[],
) {
  for (const workflow of Object.values(plan.workflows)) {
    for (const step of workflow.steps) {
      const calls = [
        step.operation && { op: step.operation, uses: JSON.stringify([step.parameters, step.requestBody ?? null]) },
        step.compensation && {
          op: step.compensation.operation,
          uses: JSON.stringify([step.compensation.parameters, step.compensation.requestBody ?? null]),
        },
      ];
      for (const call of calls) {
        if (!call) continue;
        const override = servers?.[call.op.sourceName];
        const targetHost = hostOf(override ?? call.op.serverUrl) ?? '';
        for (const [name, value] of Object.entries(kept)) {
          if (!isSecretRef(value) || !usesInput(call.uses, name)) continue;
          const problem = hostProblem(
            {
              refText: value.$secret,
              targetHost,
              sealedServerUrl: call.op.serverUrl,
              overrideUrl: override,
              allowedServerHosts,
            },
            policy,
          );
          if (problem) throw new SecretRefError('SecretHostNotAllowed', `step ${step.stepId}: ${problem}`);
        }
      }
    }
  }
}

function usesInput(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$inputs\\.${escaped}(?![A-Za-z0-9_-])`).test(text);
}

/** `deliver` names configured sinks, plain names, and outputs that exist (a typo would leave a secret in history). */
export function checkDeliveries(
  plan: Plan,
  deliver: Record<string, string> | undefined,
  policy: SecretPolicy,
): string[] {
  const problems: string[] = [];
  if (!deliver) return problems;
  const sinks = sinksFor(policy.sinkDir);
  const outputs = new Set<string>();
  for (const workflow of Object.values(plan.workflows)) {
    for (const step of workflow.steps) {
      for (const name of Object.keys(step.outputs)) {
        outputs.add(name);
        outputs.add(`${step.stepId}.${name}`);
      }
    }
  }
  for (const [key, spec] of Object.entries(deliver)) {
    const parsed = typeof spec === 'string' ? parseDeliverySpec(spec) : undefined;
    const sink = parsed && sinks.get(parsed.kind);
    if (!outputs.has(key)) problems.push(`deliver.${key}: no step of this run has an output named "${key}"`);
    else if (!parsed) problems.push(`deliver.${key}: expected "<sink>:<name>", e.g. "file:new-key.txt"`);
    else if (!sink)
      problems.push(
        `deliver.${key}: this worker has no "${parsed.kind}" secret sink${parsed.kind === 'file' ? ' (ARAZZO_SECRET_SINK_DIR)' : ''}`,
      );
    else {
      const problem = sink.problem(parsed.name);
      if (problem) problems.push(`deliver.${key}: ${problem}`);
    }
  }
  return problems;
}
