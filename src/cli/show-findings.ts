// Findings the way `check` prints them (file:line:column, paths relative to the current directory so
// editors and terminals jump to them), for every command that refuses a document.
import { isAbsolute, relative } from 'node:path';
import { formatFindings } from '../arazzo/format-finding.js';
import type { Finding } from '../arazzo/model.js';

/** Paths relative to the current directory, the way compilers print them (editors jump to them). */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

export function showFindings(findings: readonly Finding[]): string {
  return formatFindings(findings.map((f) => ({ ...f, file: displayPath(f.file) })));
}
