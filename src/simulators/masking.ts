// Secrets never leave a simulator in clear text except in the one response that hands them out. Everything
// else that records or prints (audit log, CLI, contract-violation reports) goes through a redactor that
// knows every secret the simulator ever issued or was seeded with, and replaces each occurrence.

export const MASK = '***';

export class SecretRedactor {
  readonly #secrets = new Set<string>();
  #sorted: string[] = [];

  /** Register a secret (a password, an API key, a token). Short strings are refused: masking them would mangle ordinary text. */
  add(secret: string): void {
    if (secret.length < 8) throw new Error('refusing to register a secret shorter than 8 characters');
    if (this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    // Longest first, so a secret that contains another is masked whole.
    this.#sorted = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  redactString(text: string): string {
    let out = text;
    for (const secret of this.#sorted) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  }

  /** A deep copy of a JSON-like value with every secret occurrence masked (keys included). */
  redact(value: unknown): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (Array.isArray(value)) return value.map((v) => this.redact(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redactString(k)] = this.redact(v);
      return out;
    }
    return value;
  }

  /** Headers for the record: Authorization keeps only its scheme, whatever the credential (known or not). */
  redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      const lower = name.toLowerCase();
      if (lower === 'authorization' || lower === 'proxy-authorization') {
        const scheme = value.trim().split(/\s+/)[0] ?? '';
        out[lower] = value.trim().includes(' ') ? `${scheme} ${MASK}` : MASK;
      } else {
        out[lower] = this.redactString(value);
      }
    }
    return out;
  }
}
