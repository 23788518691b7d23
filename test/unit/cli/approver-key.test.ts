// Approver key files: 0600, never overwritten (a key is someone's identity), read back to the same key.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../../src/arazzo/approvals/signature.js';
import { createApproverKey, describeKey, policyLine, readApproverKey } from '../../../src/cli/approver-key.js';

describe('approver key files', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'approver-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a 0600 key file, reads it back, and prints only the public line', async () => {
    const file = join(scratch(), 'approvers', 'alice.key');
    const made = await createApproverKey('alice', file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const read = await readApproverKey(file);
    expect(read).toEqual(made);
    const line = policyLine(made, ['security']);
    expect(JSON.parse(line)).toEqual({ name: 'alice', publicKey: made.publicKey, groups: ['security'] });
    expect(line).not.toContain(made.secretKey);
    expect(describeKey(made)).toBe(`alice (${keyFingerprint(made.publicKey)})`);
  });

  it('never overwrites an existing key file', async () => {
    const file = join(scratch(), 'alice.key');
    const first = await createApproverKey('alice', file);
    await expect(createApproverKey('alice', file)).rejects.toThrow(/exists: a key file is never overwritten/);
    expect((await readApproverKey(file)).secretKey).toBe(first.secretKey);
  });

  it('refuses a file that is not a key file, with a hint', async () => {
    const file = join(scratch(), 'not-a-key');
    writeFileSync(file, '{"name": "x"}', { mode: 0o600 });
    await expect(readApproverKey(file)).rejects.toThrow(/is not a key file/);
  });
});
