// One line per finding, the way compilers print them, so editors and terminals can jump to it.
import type { Finding } from './model.js';

export function formatFinding(f: Finding): string {
  const where = `${f.file}:${f.line}:${f.column}`;
  const hint = f.hint ? `\n    hint: ${f.hint}` : '';
  return `${where} ${f.severity} [${f.code}] ${f.message} (at ${f.pointer || '/'})${hint}`;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map(formatFinding).join('\n');
}
