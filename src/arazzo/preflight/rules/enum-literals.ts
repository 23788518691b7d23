// preflight-enum-mismatch (error): a response field compared (`==`) with a literal its schema's
// `enum`/`const` cannot hold, in simple conditions and in the jsonpath comparison form. The seed's
// `$.status == "active"` can never be true: the database status is one of failure, provisioning,
// ready, recovering.
//
// Equality is the runtime's (criteria/values.ts `looseEquals`): strings compare case-insensitively
// (the Arazzo simple-condition rule, applied to the comparison form too), so `'READY'` matches `ready`
// and `'5'` matches 5. When the pointer itself does not resolve (reported by response-pointers), the
// literal is checked against the field the suggestion points at, because fixing the pointer alone
// would still leave a criterion that can never hold.
import { looseEquals } from '../../criteria/index.js';
import { toPointer } from '../../document/json-pointer.js';
import { closestName } from '../../validate/did-you-mean.js';
import { bodyReferences } from '../body-references.js';
import { operationLabel, type PreflightContext, type StepTarget } from '../context.js';
import { describeKeys, readableBodies } from '../responses.js';
import { allowedValuesAt, closestPointer, resolves } from '../schema-paths.js';
import { show } from './response-pointers.js';

const display = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function checkEnumLiterals(ctx: PreflightContext, target: StepTarget): void {
  const { stepNode, operation } = target;
  if (!operation) return;
  for (const reference of bodyReferences(stepNode)) {
    if (reference.comparison?.op !== '==' || reference.partial) continue;
    const bodies = readableBodies(operation, stepNode.step.successCriteria, reference.statuses);
    if (bodies.length === 0 || bodies.some((body) => body.kind === 'opaque')) continue;
    const roots = bodies.flatMap((body) => (body.kind === 'schema' ? [body.schema] : []));
    if (roots.length === 0) continue;
    const direct = resolves(roots, reference.segments);
    const field = direct ? reference.segments : closestPointer(roots, reference.segments);
    if (!field) continue;
    const allowed = allowedValuesAt(roots, field);
    const literal = reference.comparison.literal;
    if (!allowed || allowed.some((value) => looseEquals(value, literal))) continue;
    const values = allowed.map(display);
    const near = typeof literal === 'string' ? closestName(literal, values) : undefined;
    const fieldText = `\`#${toPointer(field)}\``;
    ctx.report({
      code: 'preflight-enum-mismatch',
      message: `\`${display(literal)}\` is not one of ${values.join(', ')} (${fieldText} in the ${describeKeys(
        bodies.map((body) => body.key),
      )} response of ${operationLabel(operation)}${direct ? '' : `, the closest match for ${show(reference, reference.segments)}`})`,
      hint: near
        ? `did you mean \`${near}\`?`
        : `compare with one of ${values.join(', ')} (strings compare case-insensitively)`,
      pointer: reference.pointer,
    });
  }
}
