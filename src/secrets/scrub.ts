// Removing secret values from text and JSON that leave an activity (step results, failure messages,
// logs). Pure. A secret is masked wherever 6 or more of its consecutive characters appear (so a
// preview cut in the middle of a secret, or a secret embedded in a longer string, is caught too);
// secrets shorter than 12 characters are masked only where they appear whole.
import { fingerprint, isSecretName, MASK } from '../arazzo/secrets/mask.js';

const GRAM = 6;
const MIN_FOR_GRAMS = 12;

export class Scrubber {
  private readonly secrets: string[] = [];
  private readonly grams = new Map<string, number>();

  /** Registers a value (and its JSON- and URL-encoded forms) as secret. Empty strings are ignored. */
  add(value: string | undefined | null): this {
    if (!value) return this;
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
    for (const form of forms) {
      if (this.secrets.includes(form)) continue;
      const index = this.secrets.length;
      this.secrets.push(form);
      if (form.length >= MIN_FOR_GRAMS) {
        for (let i = 0; i + GRAM <= form.length; i++) {
          const gram = form.slice(i, i + GRAM);
          if (!this.grams.has(gram)) this.grams.set(gram, index);
        }
      }
    }
    return this;
  }

  /** Every string in a JSON-like value. */
  addAll(value: unknown): this {
    if (typeof value === 'string') this.add(value);
    else if (Array.isArray(value)) for (const v of value) this.addAll(v);
    else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) this.addAll(v);
    return this;
  }

  get size(): number {
    return this.secrets.length;
  }

  /** Whether `text` contains any part of a secret that `text()` would mask. */
  touches(text: string): boolean {
    return this.text(text) !== text;
  }

  /**
   * `whole`: mask only complete occurrences (for values that flow on, e.g. outputs). Otherwise also
   * any run of 6+ characters of a secret that looks random (has a digit or an upper-case letter), so a
   * preview cut in the middle of a secret is caught while public parts (`postgres`, a host name) stay.
   */
  text(text: string, options: { whole?: boolean } = {}): string {
    if (this.secrets.length === 0 || !text) return text;
    const owner = new Int32Array(text.length).fill(-1);
    this.secrets.forEach((secret, index) => {
      let from = 0;
      for (;;) {
        const at = text.indexOf(secret, from);
        if (at < 0) break;
        for (let j = at; j < at + secret.length; j++) if (owner[j] < 0) owner[j] = index;
        from = at + 1;
      }
    });
    if (!options.whole) {
      const partial = new Int32Array(text.length).fill(-1);
      for (let i = 0; i + GRAM <= text.length; i++) {
        const hit = this.grams.get(text.slice(i, i + GRAM));
        if (hit !== undefined) for (let j = i; j < i + GRAM; j++) if (partial[j] < 0) partial[j] = hit;
      }
      let i = 0;
      while (i < text.length) {
        if (partial[i] < 0) {
          i++;
          continue;
        }
        const start = i;
        while (i < text.length && partial[i] >= 0) i++;
        if (/[0-9A-Z]/.test(text.slice(start, i))) {
          for (let j = start; j < i; j++) if (owner[j] < 0) owner[j] = partial[j];
        }
      }
    }
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (owner[i] < 0) {
        out += text[i++];
        continue;
      }
      const index = owner[i];
      while (i < text.length && owner[i] >= 0) i++;
      out += `${MASK} (fp ${fingerprint(this.secrets[index])})`;
    }
    return out;
  }

  /** A deep copy with every string scrubbed. */
  deep<T>(value: T, options: { whole?: boolean } = {}): T {
    if (typeof value === 'string') return this.text(value, options) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, options)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v, options);
      return out as T;
    }
    return value;
  }
}

/** String values held directly under credential-named keys anywhere in a JSON body (`key`, `password`...). */
export function secretStringsIn(body: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 64 || body === null || typeof body !== 'object') return out;
  if (Array.isArray(body)) {
    for (const v of body) secretStringsIn(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' && isSecretName(k)) out.push(v);
    else secretStringsIn(v, out, depth + 1);
  }
  return out;
}
