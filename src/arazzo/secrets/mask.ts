// Deciding what is secret and showing it without revealing it. Pure (runs in workflow code too):
// the fingerprint is FNV-1a, not a cryptographic hash, and only 4 hex digits of it are shown, which
// is enough to tell two values apart in a UI and too little to recover anything. A secret reference
// (`{"$secret": ...}`) is not secret itself: it is shown as what it names.
import { describeRef, isSecretRef } from './refs.js';

const CREDENTIAL_WORDS =
  /(token|secret|password|passwd|apikey|api_key|key|connectionstring|connection_string|credential|privatekey|private_key)$/i;
const IDENTIFIER = /ids?$/i;

/** Credential-like names (`apiToken`, `newKeySecret`, `connectionString`) but not identifiers (`oldKeyId`). */
export function isSecretName(name: string): boolean {
  if (IDENTIFIER.test(name)) return false;
  const compact = name.replace(/[-\s]/g, '');
  return CREDENTIAL_WORDS.test(compact) || /(token|secret|password|connectionstring)/i.test(compact);
}

export function fingerprint(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash >>> 16).toString(16).padStart(4, '0');
}

export const MASK = '••••••';

export function maskValue(value: unknown): string {
  if (isSecretRef(value)) return describeRef(value);
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return `${MASK} (fp ${fingerprint(text)})`;
}

/** A copy of `values` with every secret-named entry masked; `secretNames` adds names known to be secret. */
export function maskRecord(
  values: Record<string, unknown>,
  secretNames: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = value !== undefined && (secretNames.has(name) || isSecretName(name)) ? maskValue(value) : value;
  }
  return out;
}

/** Inputs that hold secrets: `format: password`, `writeOnly: true`, `x-secret: true`, or a credential name. */
export function isSecretSchema(name: string, schema: unknown): boolean {
  const s = (schema && typeof schema === 'object' ? schema : {}) as Record<string, unknown>;
  return s.format === 'password' || s.writeOnly === true || s['x-secret'] === true || isSecretName(name);
}
