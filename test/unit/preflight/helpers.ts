// Loading documents for the pre-flight tests, and the one row shape every assertion compares.
import { readFile } from 'node:fs/promises';
import { type DocumentSet, loadDocumentSet } from '../../../src/arazzo/document/index.js';
import type { Finding } from '../../../src/arazzo/model.js';
import { type PreflightRule, runPreflight } from '../../../src/arazzo/preflight/index.js';
import { FIXTURES, REPO, readerWith, readLocal } from '../document/fixture-reader.js';

export const PREFLIGHT_FIXTURES = `${FIXTURES}preflight/`;

export function loadFixture(name: string): Promise<DocumentSet> {
  return loadDocumentSet(`${PREFLIGHT_FIXTURES}${name}`, { read: readLocal });
}

/**
 * Loads a document of the repository (e.g. `arazzo/seeds/x.arazzo.yaml`), optionally edited first; it is
 * served under its own path so its `../openapi/` references resolve as they do unedited.
 */
export async function loadRepoDocument(path: string, edit?: (text: string) => string): Promise<DocumentSet> {
  const url = `${REPO}${path}`;
  const text = await readFile(url, 'utf8');
  return loadDocumentSet(url, { read: readerWith({ [url]: edit ? edit(text) : text }) });
}

/** Replaces exactly one occurrence (a mutation that silently matched nothing would prove nothing). */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** [severity, code, line:column, pointer, stepId, message]: what a reader of the finding sees. */
export function rows(findings: readonly Finding[]) {
  return findings.map((f) => [f.severity, f.code, `${f.line}:${f.column}`, f.pointer, f.stepId, f.message]);
}

export function runRule(set: DocumentSet, rule: PreflightRule): Finding[] {
  return runPreflight(set, {}, [rule]);
}
