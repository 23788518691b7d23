// `x-managed` on a workflow: how a managed credential (src/workflows/managed.ts) carries a credential from
// one rotation to the next. A rotation revokes the identifier it was given (`oldConnectionId`) and mints a
// new one (`outputs.newConnectionId`); the next rotation must be given the new one, or it would ask for a
// credential that no longer exists. The document says which input takes which output, and which inputs
// need a fresh value for each rotation (the replacement's name, unique per run):
//
//   x-managed:
//     carry:
//       oldConnectionId: $outputs.newConnectionId
//     perRotation: [newName]
//
// Pure: read here from the raw workflow node, checked by pre-flight (rules/managed-mapping.ts), applied by
// the managed credential's workflow.

export interface ManagedSpec {
  /** input name ← workflow output name, applied after a completed rotation. */
  carry: Array<{ input: string; output: string }>;
  /** Inputs whose given value gets the rotation's number appended (`app-db` → `app-db-3`). */
  perRotation: string[];
}

/** One problem with an `x-managed` extension, at a pointer relative to the workflow. */
export interface ManagedSpecProblem {
  pointer: string;
  message: string;
}

const OUTPUT_REFERENCE = /^\$outputs\.([A-Za-z0-9_.-]+)$/;

/** Reads `x-managed` from a workflow object; `undefined` when the workflow has none. */
export function readManagedSpec(workflow: Record<string, unknown>): {
  spec?: ManagedSpec;
  problems: ManagedSpecProblem[];
} {
  const raw = workflow['x-managed'];
  if (raw === undefined) return { problems: [] };
  const problems: ManagedSpecProblem[] = [];
  if (!isRecord(raw)) {
    return { problems: [{ pointer: '/x-managed', message: '`x-managed` must be an object with `carry`' }] };
  }
  const carry: ManagedSpec['carry'] = [];
  if (!isRecord(raw.carry) || Object.keys(raw.carry).length === 0) {
    problems.push({
      pointer: '/x-managed/carry',
      message: '`x-managed.carry` must map at least one input to a workflow output (`oldId: $outputs.newId`)',
    });
  } else {
    for (const [input, value] of Object.entries(raw.carry)) {
      const match = typeof value === 'string' ? OUTPUT_REFERENCE.exec(value.trim()) : null;
      if (!match) {
        problems.push({
          pointer: `/x-managed/carry/${escapePointer(input)}`,
          message: `\`x-managed.carry.${input}\` must be \`$outputs.<name>\` (a workflow output), not ${JSON.stringify(value)}`,
        });
        continue;
      }
      carry.push({ input, output: match[1] });
    }
  }
  const perRotation: string[] = [];
  if (raw.perRotation !== undefined) {
    if (!Array.isArray(raw.perRotation) || raw.perRotation.some((n) => typeof n !== 'string')) {
      problems.push({
        pointer: '/x-managed/perRotation',
        message: '`x-managed.perRotation` must be a list of input names',
      });
    } else {
      perRotation.push(...(raw.perRotation as string[]));
    }
  }
  return { spec: { carry, perRotation }, problems };
}

/** The inputs for rotation number `n` (1-based): the current inputs with each per-rotation input made unique. */
export function rotationInputs(
  current: Record<string, unknown>,
  base: Record<string, unknown>,
  spec: ManagedSpec,
  n: number,
): Record<string, unknown> {
  const inputs = { ...current };
  for (const name of spec.perRotation) {
    const given = base[name];
    if (typeof given === 'string') inputs[name] = `${given}-${n}`;
  }
  return inputs;
}

/**
 * After a completed rotation: the current inputs with each carried input replaced by the output it maps
 * from. An output the rotation did not produce (or produced as a secret reference) is an error: the
 * managed credential would otherwise go on with an identifier that was just revoked.
 */
export function carryForward(
  current: Record<string, unknown>,
  outputs: Record<string, unknown>,
  spec: ManagedSpec,
): { ok: true; inputs: Record<string, unknown>; carried: Record<string, string> } | { ok: false; message: string } {
  const inputs = { ...current };
  const carried: Record<string, string> = {};
  for (const { input, output } of spec.carry) {
    const value = outputs[output];
    if (typeof value !== 'string' || value === '') {
      return {
        ok: false,
        message: `the rotation completed without the output "${output}" that x-managed carries into "${input}"`,
      };
    }
    inputs[input] = value;
    carried[input] = value;
  }
  return { ok: true, inputs, carried };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
