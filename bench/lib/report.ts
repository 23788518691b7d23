// Writes the report: bench/results/<timestamp>.md and .json, and latest.md / latest.json.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './environment.js';
import { markdownTable, type Table } from './format.js';
import type { MachineInfo } from './machine.js';
import { type PlotPanel, plotSvg } from './plot.js';

export interface Report {
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  parameters: unknown;
  scenarios: Record<string, { tables: Table[] } & Record<string, unknown>>;
  errors: Record<string, string>;
}

/** A scenario's `plot`: its panels, the caption under them, and the image's alt text in the report. */
export type ScenarioPlot = { panels: PlotPanel[]; caption: string; alt?: string };

/** The scenarios that drew a plot, and the file each one's SVG is written to (beside the report). */
function plotsOf(report: Report): Array<{ name: string; file: string; plot: ScenarioPlot }> {
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  return Object.entries(report.scenarios).flatMap(([name, s]) =>
    s.plot ? [{ name, file: `${stamp}-${name}.svg`, plot: s.plot as ScenarioPlot }] : [],
  );
}

export function markdown(report: Report): string {
  const m = report.machine;
  const head = [
    `# arazzo-temporal bench (${(report.parameters as { mode: string }).mode})`,
    '',
    `Started ${report.startedAt}, took ${Math.round(report.durationSeconds)} s.`,
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; Temporal SDK ${m.temporalSdk}; ${m.temporalCli}; Redocly CLI ${m.redoclyCli ?? 'not installed'}; commit ${m.gitCommit ?? '?'}; load average at start ${m.loadAverageAtStart}.`,
    '',
    'Figures: median [min–max] (n = repetitions). Ratios are of medians, measured side by side in the same run. The dev server, worker children, simulators and client share the machine, so absolute figures move with its load; ratios less so.',
    '',
  ];
  const body = Object.values(report.scenarios).flatMap((s) => s.tables.map(markdownTable));
  for (const { name, file, plot } of plotsOf(report))
    body.push(`![${name}: ${plot.alt ?? 'throughput and worker CPU against concurrency'}](${file})\n`);
  const errors = Object.entries(report.errors).map(([name, message]) => `- **${name} failed**: ${message}`);
  return [...head, ...body, ...(errors.length ? ['## Errors', '', ...errors, ''] : [])].join('\n');
}

export function writeReport(report: Report): { markdownPath: string; jsonPath: string } {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const markdownPath = join(resultsDir, `${stamp}.md`);
  const jsonPath = join(resultsDir, `${stamp}.json`);
  writeFileSync(markdownPath, markdown(report));
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  copyFileSync(markdownPath, join(resultsDir, 'latest.md'));
  copyFileSync(jsonPath, join(resultsDir, 'latest.json'));
  for (const { name, file, plot } of plotsOf(report)) {
    writeFileSync(join(resultsDir, file), plotSvg(plot.panels, plot.caption));
    copyFileSync(join(resultsDir, file), join(resultsDir, `latest-${name}.svg`));
  }
  return { markdownPath, jsonPath };
}
