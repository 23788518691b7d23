// preflight-secret-lock-key (error): a workflow's `x-lock-key` built from a secret input. The lock is a
// workflow whose id is `arazzo-lock:<key>`, and a workflow id is never encrypted: the secret would be
// written in clear into the server's database, `temporal workflow list`, the Web UI and every holder's
// progress, for as long as the server keeps the lock's history.
//
// "Secret": what the runtime treats as secret (isSecretSchema: `format: password`, `writeOnly`,
// `x-secret`, a credential name), following the inputs schema through local `$ref`s and `allOf`, or a
// credential-named member of a structured input (`$inputs.config#/apiKey`). A workflow-level rule: it
// reports once per workflow, on its first step's turn. The load activity refuses the same key at run
// time, whatever pre-flight says (load-plan.ts).
import { isSecretSchema } from '../../secrets/mask.js';
import { secretInputReads } from '../../secrets/secret-reads.js';
import { visitInputSchemas } from '../../validate/declared-inputs.js';
import { isObject, type JsonObject } from '../../validate/document-walk.js';
import type { PreflightContext, StepTarget, WorkflowFlow } from '../context.js';

export function checkSecretLockKey(ctx: PreflightContext, target: StepTarget, flow: WorkflowFlow): void {
  if (target !== flow.steps[0]) return;
  const { workflow, pointer } = flow.workflow;
  const lockKey = workflow['x-lock-key'];
  if (typeof lockKey !== 'string') return;
  const properties = new Map<string, unknown>();
  visitInputSchemas(ctx.document, workflow.inputs, (schema) => {
    if (!isObject(schema.properties)) return;
    for (const [name, property] of Object.entries(schema.properties as JsonObject)) {
      if (!properties.has(name)) properties.set(name, property);
    }
  });
  const reads = secretInputReads(lockKey, (name) => isSecretSchema(name, properties.get(name)));
  if (reads.length === 0) return;
  const which = reads.map((read) => `\`${read}\``).join(' and ');
  ctx.report({
    code: 'preflight-secret-lock-key',
    message: `\`x-lock-key\` reads the secret ${which}: the lock's workflow id (\`arazzo-lock:<key>\`) would hold the secret in clear, in the server's database, \`temporal workflow list\` and the Web UI`,
    hint: 'build the key from what identifies the credential, not from the credential itself (e.g. `prisma:{$inputs.databaseId}:{$inputs.connectionId}`)',
    pointer: `${pointer}/x-lock-key`,
  });
}
