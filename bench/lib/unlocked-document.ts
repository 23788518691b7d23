// Scenario 1's third variant: the corrected Prisma rotation without its per-credential lock. The copy is
// generated from the document at bench start (never kept by hand, so it cannot drift from it) into the
// bench's scratch folder, which is git-ignored and inside the worker's document root, and removed at the end.
// Its only differences: no `x-lock-key` line, and each relative `sourceDescriptions` url rewritten to reach
// the same file from the copy's folder. Line edits, not a YAML round trip (which would re-fold the
// document's long text); the result is then parsed and compared with the original to prove just that.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { PRISMA_DOCUMENT, UNLOCKED_PRISMA_DOCUMENT } from './rotation.js';

interface Paths {
  /** Where the original document is (its folder resolves its relative urls). */
  from: string;
  /** Where the copy will be written. */
  to: string;
}

interface SourceDescription {
  url?: unknown;
}

interface ArazzoShape {
  sourceDescriptions?: SourceDescription[];
  workflows?: Array<Record<string, unknown>>;
}

const hasScheme = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `url` (relative to the original) as a url relative to the copy's folder, with forward slashes. */
function rebased(url: string, paths: Paths): string {
  const target = resolve(dirname(paths.from), url);
  return relative(dirname(paths.to), target).split(sep).join(posix.sep);
}

/** The index of the one line matching `pattern`; an error naming the document when there are none or several. */
function onlyLine(lines: string[], pattern: RegExp, what: string, file: string): number {
  const found = lines.flatMap((line, i) => (pattern.test(line) ? [i] : []));
  if (found.length !== 1) {
    throw new Error(
      `${file}: expected exactly one ${what} line, found ${found.length}${found.length ? ` (lines ${found.map((i) => i + 1).join(', ')})` : ''}; the bench's unlocked copy cannot be made`,
    );
  }
  return found[0];
}

/** The text of the copy: the document without its `x-lock-key` line, relative urls rebased to `paths.to`. */
export function withoutLockKey(text: string, paths: Paths): string {
  const original = parse(text) as ArazzoShape;
  const lines = text.split('\n');
  const urls = (original.sourceDescriptions ?? [])
    .map((d) => d.url)
    .filter((url): url is string => typeof url === 'string' && !hasScheme(url) && !isAbsolute(url));
  for (const url of new Set(urls)) {
    const i = onlyLine(
      lines,
      new RegExp(`^(\\s*-?\\s*url:\\s*)(['"]?)${escapeRegExp(url)}\\2\\s*$`),
      `url: ${url}`,
      paths.from,
    );
    lines[i] = lines[i].replace(/^(\s*-?\s*url:\s*).*$/, `$1${rebased(url, paths)}`);
  }
  lines.splice(onlyLine(lines, /^\s*x-lock-key:/, 'x-lock-key:', paths.from), 1);
  const copy = lines.join('\n');

  // The copy must say exactly what the original says, less the lock and with the same files referenced.
  const expected = parse(text) as ArazzoShape;
  for (const workflow of expected.workflows ?? []) delete workflow['x-lock-key'];
  for (const d of expected.sourceDescriptions ?? []) {
    if (typeof d.url === 'string' && urls.includes(d.url)) d.url = rebased(d.url, paths);
  }
  if (!isDeepStrictEqual(parse(copy), expected)) {
    throw new Error(`${paths.from}: the copy without x-lock-key differs from the document in more than the lock`);
  }
  return copy;
}

/**
 * Writes the unlocked copy of the Prisma rotation under `root` (the worker children's document root) at
 * UNLOCKED_PRISMA_DOCUMENT; `remove` deletes it again.
 */
export function writeUnlockedRotation(root: string): { document: string; remove(): void } {
  const paths = { from: join(root, PRISMA_DOCUMENT), to: join(root, UNLOCKED_PRISMA_DOCUMENT) };
  const copy = withoutLockKey(readFileSync(paths.from, 'utf8'), paths);
  mkdirSync(dirname(paths.to), { recursive: true });
  writeFileSync(paths.to, copy);
  return { document: UNLOCKED_PRISMA_DOCUMENT, remove: () => rmSync(paths.to, { force: true }) };
}
