// The real-world corpus (test/fixtures/real-world/): its manifest, its files, and the findings `check`
// would report for each document, one line each: `<severity> <code> <file>#<pointer>`.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocumentSet } from '../../src/arazzo/document/index.js';
import type { Finding } from '../../src/arazzo/model.js';
import { preflight } from '../../src/arazzo/preflight/index.js';
import { validateDocumentSet } from '../../src/arazzo/validate/index.js';
import type { CorpusEntry, Manifest } from '../../scripts/gather-real-world-corpus.js';

export const REAL_WORLD = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url));
export const CORPUS = join(REAL_WORLD, 'corpus');

export async function readManifest(): Promise<Manifest> {
  return JSON.parse(await readFile(join(REAL_WORLD, 'manifest.json'), 'utf8')) as Manifest;
}

/** The files of an entry whose content is not the recorded one (or that are missing). */
export async function changedFiles(entry: CorpusEntry): Promise<string[]> {
  const changed: string[] = [];
  for (const file of entry.files) {
    const path = join(CORPUS, entry.provider, file.path);
    const data = await readFile(path).catch(() => undefined);
    if (!data || createHash('sha256').update(data).digest('hex') !== file.sha256) changed.push(path);
  }
  return changed;
}

export interface Checked {
  lines: string[];
  findings: Finding[];
  /** Every URL the loader asked for that is not a file of the corpus (none is ever read). */
  outside: string[];
}

/** What `check` reports for the document (validation and pre-flight), read only from the corpus. */
export async function checkEntry(entry: CorpusEntry): Promise<Checked> {
  const base = join(CORPUS, entry.provider);
  const outside: string[] = [];
  const set = await loadDocumentSet(join(base, entry.document), {
    read: async (url) => {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (!path.startsWith(`${base}/`)) {
        outside.push(url);
        throw new Error('outside the corpus');
      }
      return readFile(path, 'utf8');
    },
  });
  const all = [...validateDocumentSet(set)];
  if (set.entry.document !== undefined) all.push(...preflight(set));
  const seen = new Set<string>();
  const findings = all.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.column}\0${f.code}\0${f.message}`;
    return !seen.has(key) && seen.add(key);
  });
  const lines = findings.map((f) => `${f.severity} ${f.code} ${relative(base, f.file)}#${f.pointer}`);
  return { lines, findings, outside };
}
