// preflight-managed-mapping (error): a workflow's `x-managed` (src/arazzo/managed/managed-spec.ts) must
// name real things. A managed credential applies the mapping only after a rotation completed, when the old
// identifier is already revoked: a carry from an output the workflow does not declare, into an input it
// does not take, would leave the credential pointing at nothing, found out one rotation period later.
// So, before the first request: every carried input and every per-rotation input is a declared input,
// every carried output a declared workflow output, and neither side is a secret (a managed credential
// holds identifiers and metadata, never a secret value; a workflow id or query result would show it).
// A workflow-level rule: it reports on the workflow's first step's turn.
import { readManagedSpec } from '../../managed/managed-spec.js';
import { isSecretName, isSecretSchema } from '../../secrets/mask.js';
import { visitInputSchemas } from '../../validate/declared-inputs.js';
import { isObject, type JsonObject } from '../../validate/document-walk.js';
import type { PreflightContext, StepTarget, WorkflowFlow } from '../context.js';

const CODE = 'preflight-managed-mapping';

export function checkManagedMapping(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  if (target !== flow.steps[0]) return;
  const { workflow, pointer } = flow.workflow;
  const { spec, problems } = readManagedSpec(workflow as Record<string, unknown>);
  for (const problem of problems) {
    ctx.report({
      code: CODE,
      message: problem.message,
      hint: 'e.g. `x-managed: {carry: {oldConnectionId: $outputs.newConnectionId}, perRotation: [newName]}`',
      pointer: `${pointer}${problem.pointer}`,
    });
  }
  if (!spec) return;
  const properties = new Map<string, unknown>();
  visitInputSchemas(ctx.document, workflow.inputs, (schema) => {
    if (!isObject(schema.properties)) return;
    for (const [name, property] of Object.entries(schema.properties as JsonObject)) {
      if (!properties.has(name)) properties.set(name, property);
    }
  });
  const declaredInputs = [...properties.keys()];
  const outputs = isObject(workflow.outputs) ? Object.keys(workflow.outputs as JsonObject) : [];
  const pointerToken = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');
  for (const { input, output } of spec.carry) {
    const at = `${pointer}/x-managed/carry/${pointerToken(input)}`;
    if (!properties.has(input)) {
      ctx.report({
        code: CODE,
        message: `\`x-managed.carry\` sets the input "${input}", which the workflow does not declare`,
        hint: `declared inputs: ${declaredInputs.join(', ') || 'none'}`,
        pointer: at,
      });
    } else if (isSecretSchema(input, properties.get(input))) {
      ctx.report({
        code: CODE,
        message: `\`x-managed.carry\` sets the secret input "${input}": a managed credential holds identifiers, never a secret value`,
        hint: 'carry the identifier of the new credential (its id), and give secrets as references ({"$secret": "env:NAME"})',
        pointer: at,
      });
    }
    if (!outputs.includes(output)) {
      ctx.report({
        code: CODE,
        message: `\`x-managed.carry.${input}\` reads the output "${output}", which the workflow does not declare`,
        hint: `declared outputs: ${outputs.join(', ') || 'none'}`,
        pointer: at,
      });
    } else if (isSecretName(output)) {
      ctx.report({
        code: CODE,
        message: `\`x-managed.carry.${input}\` reads the secret output "${output}": a managed credential holds identifiers, never a secret value`,
        hint: "carry the new credential's id; deliver its secret to a sink (deliver)",
        pointer: at,
      });
    }
  }
  spec.perRotation.forEach((name, index) => {
    if (properties.has(name)) return;
    ctx.report({
      code: CODE,
      message: `\`x-managed.perRotation\` names the input "${name}", which the workflow does not declare`,
      hint: `declared inputs: ${declaredInputs.join(', ') || 'none'}`,
      pointer: `${pointer}/x-managed/perRotation/${index}`,
    });
  });
}
