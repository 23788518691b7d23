// Secret references: `{"$secret": "env:NAME"}` instead of a value. Pure (the workflow and the CLI import it):
// a reference is only a name; the value is read inside an activity, at call time, and never enters
// history.
//
//   env:NAME                 an environment variable of the worker (only names the worker allows)
//   file:NAME                a file in the worker's secrets directory (ARAZZO_SECRETS_DIR)
//   delivered:<sink>:NAME    a secret this worker delivered to one of its sinks (e.g. delivered:file:x.txt)
//   input:NAME               internal: an input the run was started with in plain text, read back from
//                            the run's start event by the activity (so it is recorded only there)

export const SECRET_KEY = '$secret';

export interface DeliveredInfo {
  /** Sink kind and name: where the value is now. */
  to: string;
  name: string;
  /** Short fingerprint of the value (see mask.ts), to tell two deliveries apart. */
  fingerprint: string;
  step: string;
  output: string;
  at: string;
}

export interface SecretRef {
  $secret: string;
  delivered?: DeliveredInfo;
}

export type RefScheme = 'env' | 'file' | 'delivered' | 'input';

export interface ParsedRef {
  scheme: RefScheme;
  name: string;
  /** For `delivered:`: the sink kind. */
  sink?: string;
}

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** File and sink names: one path segment, no leading dot. */
export const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const SINK_KIND = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The one test for "this value is a secret reference", for the worker, the workflow and the CLI:
 * a plain object whose `$secret` is a string and whose only other key, if any, is `delivered` (what a
 * sink returns). It looks at the shape only: whether the text names something (`env:NAME`...) is
 * parseRef's question, so `{"$secret": "PRISMA_TOKEN"}` is a reference that fails with a reason,
 * never a value sent as it is. Anything with another key is a value.
 */
export function isSecretRef(value: unknown): value is SecretRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v[SECRET_KEY] === 'string' && Object.keys(v).every((k) => k === SECRET_KEY || k === 'delivered');
}

export function parseRef(text: string): ParsedRef | { error: string } {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  const rest = colon > 0 ? text.slice(colon + 1) : '';
  switch (scheme) {
    case 'env':
      return ENV_NAME.test(rest) ? { scheme, name: rest } : { error: `"${text}": not an environment variable name` };
    case 'file':
      return FILE_NAME.test(rest) ? { scheme, name: rest } : { error: `"${text}": a file name without directories` };
    case 'input':
      return rest ? { scheme, name: rest } : { error: `"${text}": no input name` };
    case 'delivered': {
      const second = rest.indexOf(':');
      const sink = rest.slice(0, Math.max(0, second));
      const name = rest.slice(second + 1);
      if (second < 1 || !SINK_KIND.test(sink) || !FILE_NAME.test(name))
        return { error: `"${text}": expected delivered:<sink>:<name>` };
      return { scheme, name, sink };
    }
    default:
      return { error: `"${text}": expected env:NAME, file:NAME or delivered:<sink>:NAME` };
  }
}

/** Every reference in a JSON-like value, in document order. */
export function collectRefs(value: unknown, out: SecretRef[] = []): SecretRef[] {
  if (isSecretRef(value)) out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectRefs(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectRefs(v, out);
  return out;
}

/** A deep copy with each reference replaced by `replace(ref)`. */
export function mapRefs(value: unknown, replace: (ref: SecretRef) => unknown): unknown {
  if (isSecretRef(value)) return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, replace));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapRefs(v, replace);
    return out;
  }
  return value;
}

/** How a reference is shown (it names where the value is, never the value). */
export function describeRef(ref: SecretRef): string {
  const d = ref.delivered;
  return d ? `secret delivered to ${d.to}:${d.name} (fp ${d.fingerprint})` : `secret ${ref.$secret}`;
}
