// Text for the report's tables.
import type { Summary } from './stats.js';

export function num(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median [min–max] (n)`; just the value when there was one repetition. */
export function fmt(s: Summary | undefined, digits = 1): string {
  if (!s || s.n === 0) return 'n/a';
  if (s.n === 1) return `${num(s.median, digits)} (n=1)`;
  return `${num(s.median, digits)} [${num(s.min, digits)}–${num(s.max, digits)}] (n=${s.n})`;
}

export function times(r: number): string {
  return Number.isFinite(r) ? `${num(r, 2)}x` : 'n/a';
}

export function kib(bytes: number): number {
  return bytes / 1024;
}

export function mib(bytes: number): number {
  return bytes / 2 ** 20;
}

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export function markdownTable(t: Table): string {
  const lines = [`### ${t.title}`, '', `| ${t.columns.join(' | ')} |`, `| ${t.columns.map(() => '---').join(' | ')} |`];
  for (const row of t.rows) lines.push(`| ${row.join(' | ')} |`);
  for (const note of t.notes ?? []) lines.push('', note);
  return `${lines.join('\n')}\n`;
}
