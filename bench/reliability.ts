// `npm run reliability` (every fault, 2 repetitions) or `npm run reliability -- --quick` (the main faults, once).
// For both rotations, runs each fault (worker SIGKILL at step boundaries, while awaiting approval and with a request
// in flight; Temporal server SIGKILL with a persistent database and a restart after an outage; provider latency,
// connection drops before/after the state change, 429 with Retry-After), drives each run as an operator would, and
// checks the invariants from the provider simulator's side. Prints the table and `N passed, M failed`, writes it to
// bench/results/reliability-<timestamp>.md, exits non-zero if any invariant is broken. See bench/README.md.
//
// Options: --quick, --repetitions N, --concurrency N (cases at once, default 2; server faults always run alone),
// --only SUBSTRING[,SUBSTRING] (fault ids or labels, e.g. `drop:createConnection:after`), --rotation prisma|deepgram,
// --deadline SECONDS (per run, default 180), --outage SECONDS (server down time, default 8), --no-sink (the new
// secret stays in the run's encrypted history instead of being delivered to a file).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { resultsDir } from './lib/environment.js';
import { machineInfo } from './lib/machine.js';
import { startReliabilityEnv } from './reliability/environment.js';
import { faultsFor, STEP_TIMEOUT } from './reliability/faults.js';
import {
  consoleTable,
  findingsText,
  type MatrixReport,
  marks,
  markdown,
  passed,
  summaryLine,
} from './reliability/report.js';
import { ROTATIONS } from './reliability/rotations.js';
import { type CaseRow, type CaseSettings, type CaseSpec, runCase } from './reliability/run-case.js';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = args[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
}
function intOption(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} takes a positive integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const quick = process.argv.includes('--quick');
const repetitions = intOption('repetitions', quick ? 1 : 2);
const concurrency = intOption('concurrency', 2);
const only = option('only')?.split(',').filter(Boolean);
const rotationFilter = option('rotation');
const settings: Omit<CaseSettings, 'sharedTaskQueue'> = {
  deadlineMs: intOption('deadline', 180) * 1000,
  outageSeconds: intOption('outage', 8),
  stepTimeout: STEP_TIMEOUT,
  sink: !process.argv.includes('--no-sink'),
};

const quiet = () => {};
Runtime.install({ logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet } });
process.setMaxListeners(100);

// The matrix: repetition × rotation × fault; approvals alternate between the update and the signal.
const cases: CaseSpec[] = [];
for (let repetition = 1; repetition <= repetitions; repetition++) {
  ROTATIONS.forEach((rotation, r) => {
    if (rotationFilter && rotation.name !== rotationFilter) return;
    for (const fault of faultsFor(rotation)) {
      if (quick && !only && !fault.quick) continue;
      if (only && !only.some((o) => fault.id.includes(o) || fault.label.includes(o))) continue;
      const approveVia = (repetition + r) % 2 === 1 ? 'update' : 'signal';
      cases.push({ index: 0, rotation, fault, repetition, approveVia });
    }
  });
}
// Server faults last, one at a time: nothing else may run while the server is down.
cases.sort((a, b) => Number(a.fault.exclusive ?? false) - Number(b.fault.exclusive ?? false));
cases.forEach((c, i) => {
  c.index = i + 1;
});
if (cases.length === 0) {
  console.error('no case matches the filters');
  process.exit(2);
}

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const machine = machineInfo();
const mode = quick ? 'quick' : 'full';
console.log(
  `reliability matrix (${mode}): ${cases.length} runs, ${repetitions} repetition(s), concurrency ${concurrency}; ` +
    `${machine.cores} cores, load ${machine.loadAverageAtStart}`,
);
const logDir = join(resultsDir, 'reliability-logs');
rmSync(logDir, { recursive: true, force: true });
const env = await startReliabilityEnv(logDir);
const rows: CaseRow[] = [];
let exitCode = 0;
try {
  const sharedTaskQueue = 'reliability-shared';
  const shared = cases.some((c) => !c.fault.ownWorker) ? await env.startWorker(sharedTaskQueue, 'shared') : undefined;
  const caseSettings: CaseSettings = { ...settings, sharedTaskQueue };
  const report = (row: CaseRow) => {
    rows.push(row);
    const v = marks(row);
    console.log(
      `  #${row.spec.index} ${row.spec.rotation.name.padEnd(8)} ${row.spec.fault.label.padEnd(58)} rep ${row.spec.repetition}  ${v}  ${row.finalState} (${row.seconds.toFixed(0)} s)${row.error ? `  harness: ${row.error}` : ''}${row.notes
        .filter((n) => n.includes('⚠'))
        .map((n) => `  ${n}`)
        .join('')}`,
    );
  };

  const parallel = cases.filter((c) => !c.fault.exclusive);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, parallel.length) }, async () => {
      while (next < parallel.length) {
        const c = parallel[next++];
        report(await runCase(env, c, caseSettings));
      }
    }),
  );
  await shared?.stop();
  for (const c of cases.filter((c) => c.fault.exclusive)) report(await runCase(env, c, caseSettings));
} catch (err) {
  console.error('matrix aborted:', err);
  exitCode = 1;
} finally {
  await env.close();
}

rows.sort((a, b) => a.spec.index - b.spec.index);
const durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
console.log(`\n${consoleTable(rows)}\n`);
const findings = findingsText(rows);
if (findings) console.log(`${findings}\n`);
const matrix: MatrixReport = {
  startedAt: startedAt.toISOString(),
  mode,
  repetitions,
  concurrency,
  durationSeconds,
  machine,
  settings: {
    stepTimeout: settings.stepTimeout,
    outageSeconds: settings.outageSeconds,
    deadlineSeconds: settings.deadlineMs / 1000,
    sink: settings.sink,
  },
  rows,
};
const path = join(resultsDir, `reliability-${stamp}.md`);
writeFileSync(path, markdown(matrix));
console.log(`${summaryLine(rows)} in ${(durationSeconds / 60).toFixed(1)} min; wrote ${path}`);
if (rows.some((r) => !passed(r)) || rows.length < cases.length) exitCode = 1;
else rmSync(logDir, { recursive: true, force: true });
if (exitCode) console.log(`worker logs: ${logDir}`);
process.exit(exitCode);
