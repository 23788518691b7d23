// The matrix as a table (console and Markdown): fault × rotation × repetition → ✔/✘ per invariant, the final state,
// the time, what the operator did; then, for every case that broke an invariant, what the audit log showed.
import type { MachineInfo } from '../lib/machine.js';
import { INVARIANT_TITLES, INVARIANTS, type Verdict } from './invariants.js';
import type { CaseRow } from './run-case.js';

const MARK: Record<Verdict, string> = { ok: '✔', fail: '✘', na: '–', unknown: '?' };

export function passed(row: CaseRow): boolean {
  return INVARIANTS.every((n) => row.invariants.verdicts[n] === 'ok' || row.invariants.verdicts[n] === 'na');
}

export function summaryLine(rows: CaseRow[]): string {
  const ok = rows.filter(passed).length;
  return `${ok} passed, ${rows.length - ok} failed`;
}

/** The five verdicts as marks, e.g. `✔ ✔ ✔ ✘ ✔`. */
export function marks(row: CaseRow): string {
  return INVARIANTS.map((n) => MARK[row.invariants.verdicts[n]]).join(' ');
}

function cells(row: CaseRow): string[] {
  return [
    String(row.spec.index),
    row.spec.rotation.name,
    row.spec.fault.label,
    String(row.spec.repetition),
    ...INVARIANTS.map((n) => MARK[row.invariants.verdicts[n]]),
    row.finalState,
    row.seconds.toFixed(0),
    row.actions.join('; ') || '—',
  ];
}

const HEADERS = ['#', 'rotation', 'fault', 'rep', '1', '2', '3', '4', '5', 'final state', 's', 'operator'];

export function consoleTable(rows: CaseRow[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((r) => (i === HEADERS.length - 1 ? 0 : r[i].length))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const legend = INVARIANTS.map((n) => INVARIANT_TITLES[n]).join(' · ');
  return [
    line(HEADERS),
    ...table.slice(1).map(line),
    '',
    `invariants: ${legend}  (✔ holds, ✘ broken, – n/a, ? not checked)`,
  ].join('\n');
}

export function findingsText(rows: CaseRow[]): string {
  const failed = rows.filter((r) => !passed(r));
  if (failed.length === 0) return '';
  const out: string[] = ['Broken invariants:'];
  for (const row of failed) {
    out.push(`  #${row.spec.index} ${row.spec.rotation.name} · ${row.spec.fault.label} · rep ${row.spec.repetition}:`);
    for (const f of row.invariants.findings) out.push(`    - ${f}`);
  }
  return out.join('\n');
}

export interface MatrixReport {
  startedAt: string;
  mode: string;
  repetitions: number;
  concurrency: number;
  durationSeconds: number;
  machine: MachineInfo;
  settings: { stepTimeout: string; outageSeconds: number; deadlineSeconds: number; sink: boolean };
  rows: CaseRow[];
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function markdown(report: MatrixReport): string {
  const { rows, machine } = report;
  const out: string[] = [];
  out.push(`# Reliability matrix, ${report.startedAt}`);
  out.push('');
  out.push(
    `${report.mode}, ${report.repetitions} repetition(s), ${rows.length} runs, concurrency ${report.concurrency}, ` +
      `${(report.durationSeconds / 60).toFixed(1)} min on ${machine.cpuModel} (${machine.cores} cores, load ` +
      `${machine.loadAverageAtStart} at start), Node ${machine.node}, ${machine.temporalCli}, ` +
      `SDK ${machine.temporalSdk}${machine.gitCommit ? `, commit ${machine.gitCommit}` : ''}. Step timeout ` +
      `${report.settings.stepTimeout}, server outage ${report.settings.outageSeconds} s, deadline ` +
      `${report.settings.deadlineSeconds} s per run; new secrets ${report.settings.sink ? 'delivered to sink files' : 'kept in encrypted history (--no-sink)'}.`,
  );
  out.push('');
  out.push(`**${summaryLine(rows)}**`);
  out.push('');
  out.push(
    `Invariants: ${INVARIANTS.map((n) => INVARIANT_TITLES[n]).join(' · ')} (✔ holds, ✘ broken, – n/a, ? not checked).`,
  );
  out.push('');
  out.push(`| ${HEADERS.join(' | ')} |`);
  out.push(`| ${HEADERS.map(() => '---').join(' | ')} |`);
  for (const row of rows) out.push(`| ${cells(row).map(esc).join(' | ')} |`);
  const failed = rows.filter((r) => !passed(r));
  if (failed.length) {
    out.push('');
    out.push('## Broken invariants');
    for (const row of failed) {
      out.push('');
      out.push(
        `### #${row.spec.index} ${row.spec.rotation.name} · ${row.spec.fault.label} · rep ${row.spec.repetition}`,
      );
      out.push('');
      out.push(
        `Run \`${row.workflowId}\`, final state ${row.finalState}; new secret held by: ${row.invariants.heldBy}.`,
      );
      out.push('');
      for (const f of row.invariants.findings) out.push(`- ${f}`);
      out.push(...detail(row));
    }
  }
  out.push('');
  out.push('## Every run');
  for (const row of rows) {
    out.push('');
    out.push(
      `<details><summary>#${row.spec.index} ${row.spec.rotation.name} · ${esc(row.spec.fault.label)} · rep ${row.spec.repetition}: ${row.finalState}, ${row.seconds.toFixed(0)} s</summary>`,
    );
    out.push('');
    out.push(
      `Run \`${row.workflowId}\`; fault \`${row.spec.fault.id}\`; new secret held by: ${row.invariants.heldBy}.`,
    );
    out.push(...detail(row));
    out.push('');
    out.push('</details>');
  }
  out.push('');
  return out.join('\n');
}

function detail(row: CaseRow): string[] {
  const out: string[] = [''];
  out.push(`Operator: ${row.actions.join('; ') || 'nothing'}.`);
  if (row.notes.length) {
    out.push('');
    out.push('Harness:');
    for (const n of row.notes) out.push(`- ${n}`);
  }
  out.push('');
  out.push('Audit log (simulator):');
  out.push('');
  out.push('```');
  out.push(...row.audit);
  out.push('```');
  return out;
}
