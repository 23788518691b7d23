// The bench's unlocked copy of the Prisma rotation (bench/lib/unlocked-document.ts): generated from the real
// document, it differs only in having no `x-lock-key` and in relative urls that reach the same files from
// the copy's folder; anything else is refused before a copy is written.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withoutLockKey } from '../../../bench/lib/unlocked-document.js';
import { PRISMA_DOCUMENT, UNLOCKED_PRISMA_DOCUMENT } from '../../../bench/lib/rotation.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const paths = { from: join(root, PRISMA_DOCUMENT), to: join(root, UNLOCKED_PRISMA_DOCUMENT) };
const original = readFileSync(paths.from, 'utf8');

describe('bench unlocked rotation document', () => {
  it('is the rotation less its x-lock-key line, its description url rebased to the same file', () => {
    const copy = withoutLockKey(original, paths);
    const before = original.split('\n');
    const after = copy.split('\n');
    expect(after).toHaveLength(before.length - 1);
    const removed = before.filter((line) => !after.includes(line));
    expect(removed).toHaveLength(2);
    expect(removed[0]).toMatch(/^\s+url: \.\.\/openapi\//);
    expect(removed[1]).toMatch(/^\s+x-lock-key: /);
    // Comments and folded text survive as they were.
    expect(copy).toContain('# For `arazzo-temporal manage`');
    expect(copy).toContain('    Corrected version of seeds/');

    const doc = parse(copy);
    expect(doc.workflows[0]['x-lock-key']).toBeUndefined();
    expect(doc.workflows[0].workflowId).toBe(parse(original).workflows[0].workflowId);
    const url: string = doc.sourceDescriptions[0].url;
    const target = resolve(dirname(paths.to), url);
    expect(target).toBe(resolve(dirname(paths.from), parse(original).sourceDescriptions[0].url));
    expect(existsSync(target)).toBe(true);
  });

  it('refuses a document without x-lock-key, or with it twice, naming the file', () => {
    const lockLine = /^\s+x-lock-key:.*\n/m;
    expect(() => withoutLockKey(original.replace(lockLine, ''), paths)).toThrow(
      /prisma-rotate-connection\.arazzo\.yaml: expected exactly one x-lock-key: line, found 0/,
    );
    // A second one elsewhere (here on info) would leave a lock in the copy or remove more than one.
    const twice = original.replace('  version: 1.0.0\n', "  version: 1.0.0\n  x-lock-key: 'other'\n");
    expect(() => withoutLockKey(twice, paths)).toThrow(
      /expected exactly one x-lock-key: line, found 2 \(lines \d+, \d+\)/,
    );
  });

  it('refuses a copy that would differ in more than the lock (an x-lock-key line that is not the key)', () => {
    // A block scalar line that merely reads "x-lock-key:" is text, not the key: removing it changes the text.
    const text = original
      .replace(/^(\s+)x-lock-key:.*\n/m, '')
      .replace('  version: 1.0.0\n', '  version: 1.0.0\n  x-notes: |\n    x-lock-key: is only text here\n');
    expect(() => withoutLockKey(text, paths)).toThrow(/differs from the document in more than the lock/);
  });
});
