// Where minted secrets go instead of history. A run says `deliver: {"newKey": "file:deepgram-new.txt"}`;
// the step activity hands the value to the sink and returns only `{"$secret": "delivered:file:deepgram-new.txt",
// "delivered": {...}}`. Other stores (a vault, a cloud secret manager) implement the same interface.
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_NAME } from '../arazzo/secrets/refs.js';

export interface SecretSink {
  /** The scheme in `deliver` specs and `delivered:<kind>:` references. */
  readonly kind: string;
  /** Why `name` can't be delivered to (checked before the run sends anything), or undefined. */
  problem(name: string): string | undefined;
  /** Stores the value under `name` (replacing an earlier one) and says where it is. */
  deliver(name: string, value: string): Promise<{ location: string }>;
  read(name: string): Promise<string>;
}

/** Files created with mode 0600 in one directory (created 0700 if missing); atomic replace. */
export class FileSink implements SecretSink {
  readonly kind = 'file';
  constructor(readonly dir: string) {}

  problem(name: string): string | undefined {
    return FILE_NAME.test(name) ? undefined : `"${name}" is not a plain file name (no directories, no leading dot)`;
  }

  async deliver(name: string, value: string): Promise<{ location: string }> {
    const problem = this.problem(name);
    if (problem) throw new Error(problem);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = join(this.dir, name);
    const tmp = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, value, { mode: 0o600, flag: 'wx' });
      chmodSync(tmp, 0o600);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { location: target };
  }

  async read(name: string): Promise<string> {
    const problem = this.problem(name);
    if (problem) throw new Error(problem);
    const path = join(this.dir, name);
    if (lstatSync(path).isSymbolicLink()) throw new Error(`${name} is a symbolic link`);
    return readFile(path, 'utf8');
  }
}

export function sinksFor(sinkDir: string | undefined): Map<string, SecretSink> {
  const sinks = new Map<string, SecretSink>();
  if (sinkDir) sinks.set('file', new FileSink(sinkDir));
  return sinks;
}

/** `file:NAME` → sink kind and name. */
export function parseDeliverySpec(spec: string): { kind: string; name: string } | undefined {
  const colon = typeof spec === 'string' ? spec.indexOf(':') : -1;
  if (colon < 1) return undefined;
  return { kind: spec.slice(0, colon), name: spec.slice(colon + 1) };
}
