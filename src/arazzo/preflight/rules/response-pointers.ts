// preflight-unknown-response-pointer (error): a read of the response body (an output, a simple
// condition, a criterion context, the member path of a jsonpath criterion) that the declared response
// schema makes impossible: every object on the way is closed (`additionalProperties: false`,
// `unevaluatedProperties: false`), or the response has no body. An output that reads nothing loses its
// value silently (the one-time secret of the Prisma seed); a criterion that reads nothing fails on every
// healthy response.
// preflight-undeclared-response-pointer (warning): the same read where an open object on the way does
// not declare the name. JSON Schema allows any other name there and real APIs send fields their
// descriptions leave out, so the read might work: a warning, with the closest declared pointer.
//
// Checked against the responses the read can see (responses.ts `readableBodies`); it resolves if it
// resolves in ANY of them. Opaque bodies (no schema, not JSON) are not checked. The suggestion is the
// pointer ending in the same property name (schema-paths.ts `closestPointer`), written the way the
// reference was (`#/data/status` or `$.data.status`).
import { toPointer } from '../../document/json-pointer.js';
import { type BodyReference, bodyReferences } from '../body-references.js';
import { operationLabel, type PreflightContext, type StepTarget } from '../context.js';
import { formatJsonPath } from '../jsonpath-segments.js';
import { describeKeys, readableBodies } from '../responses.js';
import { closestPointer, listPointers, pointerStatus } from '../schema-paths.js';

export function checkResponsePointers(ctx: PreflightContext, target: StepTarget): void {
  const { stepNode, operation } = target;
  if (!operation) return;
  for (const reference of bodyReferences(stepNode)) {
    const bodies = readableBodies(operation, stepNode.step.successCriteria, reference.statuses);
    if (bodies.length === 0 || bodies.some((body) => body.kind === 'opaque')) continue;
    const roots = bodies.flatMap((body) => (body.kind === 'schema' ? [body.schema] : []));
    const where = `the ${describeKeys(bodies.map((body) => body.key))} response${bodies.length > 1 ? 's' : ''} of ${operationLabel(operation)}`;
    if (roots.length === 0) {
      ctx.report({
        code: 'preflight-unknown-response-pointer',
        message: `${subject(reference)} reads the body of ${where}, which has no body`,
        hint: 'read a header or the status code instead, or correct the OpenAPI description',
        pointer: reference.pointer,
      });
      continue;
    }
    const status = pointerStatus(roots, reference.segments);
    if (status === 'found') continue;
    const possible = status === 'possible';
    const closest = closestPointer(roots, reference.segments);
    const top = [
      ...new Set(listPointers(roots[0]).flatMap((listed) => (listed.segments.length === 1 ? listed.segments : []))),
    ];
    ctx.report({
      code: possible ? 'preflight-undeclared-response-pointer' : 'preflight-unknown-response-pointer',
      severity: possible ? 'warning' : 'error',
      message: `${subject(reference)} is not ${possible ? 'declared' : 'possible'} in ${where}${
        possible ? ' (its schema allows undeclared properties)' : ' (its schema allows no other properties)'
      }${closest ? `; did you mean ${show(reference, closest)}?` : ''}`,
      hint: closest
        ? reference.syntax === 'jsonpath'
          ? `query ${formatJsonPath(closest)}`
          : `read $response.body#${toPointer(closest)}`
        : top.length > 0
          ? `its top-level properties: ${top.join(', ')}`
          : undefined,
      pointer: reference.pointer,
    });
  }
}

/** `#/status`, or `$.status` for a jsonpath member path. */
export function show(reference: BodyReference, segments: readonly string[]): string {
  return reference.syntax === 'jsonpath' ? `\`${formatJsonPath(segments)}\`` : `\`#${toPointer(segments)}\``;
}

function subject(reference: BodyReference): string {
  const path = `\`#${toPointer(reference.segments)}\``;
  if (reference.syntax === 'jsonpath') return `\`${reference.written}\` selects ${path}, which`;
  return reference.origin === 'output' ? `output \`${reference.outputName}\`: ${path}` : path;
}
