// `check`: everything that can be known about a document without calling an API. Validation (schema
// and semantic rules) and pre-flight (each step against the operation it calls) both run, so one
// check reports everything there is to fix.
import { isAbsolute, relative } from 'node:path';
import type { Finding } from '../arazzo/model.js';
import { preflight } from '../arazzo/preflight/index.js';
import { validateDocumentSet } from '../arazzo/validate/index.js';
import { loadFromDisk } from './read-document.js';

export interface CheckOptions {
  /** Pre-flight only this workflow (validation always covers the whole document). */
  workflowId?: string;
  strict?: boolean;
}

export interface CheckResult {
  document: string;
  findings: Finding[];
  errors: number;
  warnings: number;
}

export async function checkDocument(document: string, options: CheckOptions = {}): Promise<CheckResult> {
  const set = await loadFromDisk(document);
  const findings = validateDocumentSet(set, { strict: options.strict ?? false });
  if (set.entry.document !== undefined) findings.push(...preflight(set, { workflowId: options.workflowId }));
  const shown = dedupe(findings).map((f) => ({ ...f, file: displayPath(f.file) }));
  return {
    document,
    findings: shown,
    errors: shown.filter((f) => f.severity === 'error').length,
    warnings: shown.filter((f) => f.severity !== 'error').length,
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.column}\0${f.code}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Paths relative to the current directory, the way compilers print them (editors jump to them). */
function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
