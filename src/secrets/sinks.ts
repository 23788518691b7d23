// Where minted secrets go instead of history. A run says `deliver: {"newKey": "file:deepgram-new.txt"}`;
// the step activity hands the value to the sink and returns only `{"$secret": "delivered:file:<name>",
// "delivered": {...}}` with the name the value really went to. A sink never replaces a value: two runs
// asking for one name get two names. Other stores (a vault, a cloud secret manager) implement the same
// interface.
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { chmod, link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint as fingerprintOf } from '../arazzo/secrets/mask.js';
import { FILE_NAME } from '../arazzo/secrets/refs.js';

export interface SecretSink {
  /** The scheme in `deliver` specs and `delivered:<kind>:` references. */
  readonly kind: string;
  /** Why `name` can't be delivered to (checked before the run sends anything), or undefined. */
  problem(name: string): string | undefined;
  /**
   * Stores the value under a name nothing holds yet, never replacing one: `name` when it is free, else
   * `taggedName(name, tag)` (when a tag is given). Says which name it used; throws (code `EEXIST` when
   * both are taken) when it stored nothing.
   */
  deliver(name: string, value: string, options?: { tag?: string }): Promise<{ name: string; location: string }>;
  read(name: string): Promise<string>;
  /**
   * Removes a delivered value once what it unlocks is gone (the credential was deleted by compensation):
   * only when `name` still holds the value with this fingerprint, so a file someone replaced or reused
   * is never touched. Says what it found.
   */
  withdraw(name: string, fingerprint: string): Promise<WithdrawOutcome>;
}

/** `removed`; `absent` (already gone); `kept`: the name holds another value now, left alone. */
export type WithdrawOutcome = 'removed' | 'absent' | 'kept';

const MAX_NAME = 128;

/**
 * The name a delivery takes when `name` is taken: `<stem>.<tag><ext>` (`prisma-new.txt` + `wf.1a2b3c4d.create`
 * → `prisma-new.wf.1a2b3c4d.create.txt`), characters outside `[A-Za-z0-9_.-]` replaced by `_`, and cut to
 * fit a plain file name with a hash of the whole tag when it is too long (so two tags still give two names).
 */
export function taggedName(name: string, tag: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = ext ? name.slice(0, dot) : name;
  const safeTag = tag.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.]+|[.]+$/g, '') || '_';
  const whole = `${stem}.${safeTag}${ext}`;
  if (whole.length <= MAX_NAME) return whole;
  const hash = createHash('sha256').update(tag).digest('hex').slice(0, 10);
  const keptStem = stem.slice(0, Math.min(stem.length, 64));
  const room = MAX_NAME - keptStem.length - ext.length - hash.length - 2;
  const keptTag = safeTag.slice(0, Math.max(0, room)).replace(/[.]+$/, '');
  return `${keptStem}.${keptTag ? `${keptTag}-` : ''}${hash}${ext}`;
}

/**
 * Files created with mode 0600 in one directory (created 0700 if missing). Each delivery writes a
 * temporary file and hard-links it to its name, which fails if the name exists: a reader never sees a
 * partial file, and no delivery replaces another.
 */
export class FileSink implements SecretSink {
  readonly kind = 'file';
  constructor(readonly dir: string) {}

  problem(name: string): string | undefined {
    return FILE_NAME.test(name) ? undefined : `"${name}" is not a plain file name (no directories, no leading dot)`;
  }

  async deliver(
    name: string,
    value: string,
    options: { tag?: string } = {},
  ): Promise<{ name: string; location: string }> {
    const problem = this.problem(name);
    if (problem) throw new Error(problem);
    const alternative = options.tag === undefined ? undefined : taggedName(name, options.tag);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, value, { mode: 0o600, flag: 'wx' });
      await chmod(tmp, 0o600);
      for (const candidate of alternative && alternative !== name ? [name, alternative] : [name]) {
        const location = join(this.dir, candidate);
        try {
          await link(tmp, location);
          return { name: candidate, location };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
      const taken =
        alternative && alternative !== name ? `${name} and ${alternative} already exist` : `${name} already exists`;
      throw Object.assign(new Error(`${taken} in ${this.dir}; a delivery never replaces a file`), { code: 'EEXIST' });
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async read(name: string): Promise<string> {
    const problem = this.problem(name);
    if (problem) throw new Error(problem);
    const path = join(this.dir, name);
    if (lstatSync(path).isSymbolicLink()) throw new Error(`${name} is a symbolic link`);
    return readFile(path, 'utf8');
  }

  async withdraw(name: string, fingerprint: string): Promise<WithdrawOutcome> {
    let value: string;
    try {
      value = await this.read(name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw err;
    }
    if (fingerprintOf(value) !== fingerprint) return 'kept';
    await rm(join(this.dir, name), { force: true });
    return 'removed';
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
