// An approver's key file: the ed25519 secret key that signs their decisions and signed starts. Made
// by `approver keygen` (mode 0600, never overwritten, never printed); read by `approve`, `reject` and
// `start --key`. Only the public key goes into the worker's approval policy.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keyFingerprint, publicKeyOf } from '../arazzo/approvals/signature.js';
import { CliError } from './errors.js';

export interface ApproverKey {
  name: string;
  /** 32-byte ed25519 secret key, hex. */
  secretKey: string;
  publicKey: string;
}

/** The line to paste into the policy's "approvers" list. */
export function policyLine(key: Pick<ApproverKey, 'name' | 'publicKey'>, groups: string[]): string {
  return JSON.stringify({ name: key.name, publicKey: key.publicKey, groups });
}

export async function createApproverKey(name: string, file: string): Promise<ApproverKey> {
  const secretKey = randomBytes(32).toString('hex');
  const key: ApproverKey = { name, secretKey, publicKey: publicKeyOf(secretKey) };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // Exclusive: an existing key (someone's identity) is never replaced.
    handle = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(`${file} exists: a key file is never overwritten`, 'choose another --out, or use that key');
    }
    throw err;
  }
  try {
    await handle.writeFile(`${JSON.stringify(key, null, 2)}\n`);
  } finally {
    await handle.close();
  }
  return key;
}

export async function readApproverKey(file: string): Promise<ApproverKey> {
  let text: string;
  try {
    const info = await stat(file);
    // Group or others can read it: it is someone's signature.
    if ((info.mode & 0o077) !== 0) {
      process.stderr.write(
        `warning: ${file} is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it\n`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read key file ${file} (${(err as NodeJS.ErrnoException).code ?? err})`,
      'make one with: arazzo-temporal approver keygen --name YOUR-NAME',
    );
  }
  let key: Partial<ApproverKey>;
  try {
    key = JSON.parse(text);
  } catch {
    throw new CliError(
      `${file} is not a key file (not JSON)`,
      'make one with: arazzo-temporal approver keygen --name YOUR-NAME',
    );
  }
  if (typeof key.name !== 'string' || typeof key.secretKey !== 'string' || !/^[0-9a-f]{64}$/i.test(key.secretKey)) {
    throw new CliError(`${file} is not a key file (needs "name" and a 64-hex-digit "secretKey")`);
  }
  return { name: key.name, secretKey: key.secretKey, publicKey: publicKeyOf(key.secretKey) };
}

export function describeKey(key: Pick<ApproverKey, 'name' | 'publicKey'>): string {
  return `${key.name} (${keyFingerprint(key.publicKey)})`;
}
