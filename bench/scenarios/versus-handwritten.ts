// Scenario 1: the interpreter running the corrected Prisma rotation vs the hand-written Temporal
// workflow making the same five calls, on identical worker children (fresh ones per measured batch).
// A third variant, the interpreter running the same document less its `x-lock-key`, splits the gap in
// two: what the per-credential lock costs (a child workflow per run, the product's promise of one run
// per credential) and what the interpreter costs apart from it. A fourth, the hand-written workflow keeping
// the product's promises (handwritten/promised-workflow.ts: the lock, the pinned plan, the search
// attributes, the patch marker) and nothing else of the interpreter, measures the floor those promises
// set: no interpreter keeping them can cost less.
import { cpus } from 'node:os';
import { startPrismaSimulator } from '../../src/simulators/index.js';
import { type BenchEnv, type BenchWorker, repoRoot } from '../lib/environment.js';
import { fmt, kib, mib, num, type Table, times } from '../lib/format.js';
import { type HistoryStats, historyStats } from '../lib/history.js';
import type { PlotPanel } from '../lib/plot.js';
import {
  BUNDLE,
  finishRotation,
  type RotationOptions,
  runRotation,
  startRotation,
  VARIANTS,
  type Variant,
} from '../lib/rotation.js';
import { percentile, ratio, type Summary, summarize } from '../lib/stats.js';
import { ownCpuSeconds, processCpuSeconds } from '../lib/process-cpu.js';
import { nowMs, pool } from '../lib/time.js';
import { writeUnlockedRotation } from '../lib/unlocked-document.js';
import type { BenchParams } from '../params.js';

export interface Batch {
  concurrency: number;
  runs: number;
  seconds: number;
  rotationsPerSecond: number;
  workerCpuSeconds: number;
  /** The dev server's CPU over the batch (undefined without /proc). */
  serverCpuSeconds?: number;
  /** The bench process's own CPU over the batch: the client and the batch's simulator. */
  benchCpuSeconds: number;
  workerMaxRssBytes: number;
}

type PerVariant<T> = Record<Variant, T>;

export interface VersusHandwrittenResult {
  latency: PerVariant<{ p50: Summary; p95: Summary; samplesMs: number[][] }>;
  throughput: PerVariant<Record<number, Summary>>;
  cpuPer1000: PerVariant<Record<number, Summary>>;
  /** Worker CPU of the first run on a fresh worker (one-time costs), apart from the per-run figures. */
  firstRunCpuSeconds: PerVariant<Summary>;
  /** Worker CPU per 1,000 runs of the warm-up that follows (JIT warming), apart from the per-run figures. */
  warmupCpuPer1000: PerVariant<Summary>;
  peakRssMiB: PerVariant<Record<number, Summary>>;
  history: PerVariant<{ events: Summary; bytes: Summary; lockEvents?: Summary; lockBytes?: Summary }>;
  historySample: PerVariant<HistoryStats>;
  batches: PerVariant<Batch[]>;
  tables: Table[];
  /** Throughput and worker CPU against concurrency, every variant: written as an SVG beside the report. */
  plot: { panels: PlotPanel[]; caption: string };
}

const COLORS: PerVariant<string> = {
  interpreter: '#d62728',
  'interpreter-unlocked': '#ff7f0e',
  'handwritten-promised': '#2ca02c',
  handwritten: '#1f77b4',
};
const NAMES: PerVariant<string> = {
  interpreter: 'interpreter',
  'interpreter-unlocked': 'interpreter without lock',
  'handwritten-promised': 'hand-written keeping the promises',
  handwritten: 'hand-written',
};

/** The two figures a reader compares at a glance: rotations per second and worker CPU per run. */
function concurrencyPlot(
  levels: number[],
  throughput: PerVariant<Record<number, Summary>>,
  cpuPer1000: PerVariant<Record<number, Summary>>,
): VersusHandwrittenResult['plot'] {
  const series = (pick: PerVariant<Record<number, Summary>>) =>
    VARIANTS.map((v) => ({
      name: NAMES[v],
      color: COLORS[v],
      points: levels.flatMap((x) => (pick[v][x]?.n ? [{ x, y: pick[v][x] }] : [])),
    }));
  return {
    panels: [
      {
        title: 'Throughput',
        xLabel: 'concurrent rotations (log scale)',
        yLabel: 'rotations per second',
        series: series(throughput),
      },
      {
        title: 'Worker CPU per run',
        xLabel: 'concurrent rotations (log scale)',
        yLabel: 'worker CPU seconds per 1,000 runs',
        series: series(cpuPer1000),
      },
    ],
    caption:
      'Median of the repetitions; bars from min to max. Same server, same machine, same run, side by side. Without lock: the same document less its x-lock-key. Hand-written keeping the promises: the lock, the pinned plan, the search attributes and the patch marker, no interpreter.',
  };
}

/**
 * A batch of rotations on one worker. CPU is read before and after: the worker child's own, the dev
 * server's and the bench process's (client and simulator), so the whole machine's CPU per run is known.
 */
export async function batch(
  env: BenchEnv,
  worker: BenchWorker,
  variant: Variant,
  concurrency: number,
  runs: number,
  options: RotationOptions = {},
): Promise<Batch> {
  // A fresh simulator per batch: it keeps every credential ever issued and gets slower with them.
  const sim = await startPrismaSimulator({ port: 0 });
  try {
    const before = await worker.usage();
    const serverBefore = processCpuSeconds(env.server.process.pid);
    const benchBefore = ownCpuSeconds();
    const start = nowMs();
    await pool(runs, concurrency, async () =>
      finishRotation(variant, await startRotation(env.client, sim, worker.taskQueue, variant, options)),
    );
    const seconds = (nowMs() - start) / 1000;
    const benchCpuSeconds = ownCpuSeconds() - benchBefore;
    const serverAfter = processCpuSeconds(env.server.process.pid);
    const after = await worker.usage();
    return {
      concurrency,
      runs,
      seconds,
      rotationsPerSecond: runs / seconds,
      workerCpuSeconds: after.cpuSeconds - before.cpuSeconds,
      serverCpuSeconds:
        serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore,
      benchCpuSeconds,
      workerMaxRssBytes: after.maxRssBytes,
    };
  } finally {
    await sim.close();
  }
}

/** The batch's CPU on the whole machine (worker, dev server and bench); NaN where the server's was not read. */
export function machineCpu(b: Batch): number {
  return b.workerCpuSeconds + (b.serverCpuSeconds ?? Number.NaN) + b.benchCpuSeconds;
}

function perVariant<T>(make: () => T): PerVariant<T> {
  return { interpreter: make(), 'interpreter-unlocked': make(), 'handwritten-promised': make(), handwritten: make() };
}

export async function runVersusHandwritten(env: BenchEnv, params: BenchParams): Promise<VersusHandwrittenResult> {
  // The unlocked variant's document, generated from the rotation for this run and removed after it.
  const unlocked = writeUnlockedRotation(repoRoot);
  try {
    return await measure(env, params);
  } finally {
    unlocked.remove();
  }
}

const I = 'interpreter';
const U = 'interpreter-unlocked';

async function measure(env: BenchEnv, params: BenchParams): Promise<VersusHandwrittenResult> {
  const batches = perVariant<Batch[]>(() => []);

  // Latency and history: one long-lived worker per variant, runs alternating between variants.
  const workers = {} as PerVariant<BenchWorker>;
  const sim = await startPrismaSimulator({ port: 0 });
  const latencySamples = perVariant<number[][]>(() => []);
  const historyIds = perVariant<{ workflowId: string; lockWorkflowId?: string }[]>(() => []);
  try {
    for (const variant of VARIANTS) workers[variant] = await env.startWorker(BUNDLE[variant]);
    for (const variant of VARIANTS) await runRotation(env.client, sim, workers[variant].taskQueue, variant); // warm-up
    for (let rep = 0; rep < params.latency.reps; rep++) {
      for (const variant of VARIANTS) latencySamples[variant].push([]);
      for (let i = 0; i < params.latency.runs; i++) {
        for (const variant of VARIANTS) {
          const { ms, started } = await runRotation(env.client, sim, workers[variant].taskQueue, variant);
          latencySamples[variant][rep].push(ms);
          if (historyIds[variant].length < params.historySamples) {
            historyIds[variant].push({ workflowId: started.handle.workflowId, lockWorkflowId: started.lockWorkflowId });
          }
        }
      }
    }
  } finally {
    await sim.close();
    await Promise.all(Object.values(workers).map((w) => w.stop()));
  }

  const history = {} as VersusHandwrittenResult['history'];
  const historySample = {} as VersusHandwrittenResult['historySample'];
  for (const variant of VARIANTS) {
    const stats = await Promise.all(historyIds[variant].map((h) => historyStats(env.client, h.workflowId)));
    const locks = await Promise.all(
      historyIds[variant].flatMap((h) => (h.lockWorkflowId ? [historyStats(env.client, h.lockWorkflowId)] : [])),
    );
    historySample[variant] = stats[0];
    history[variant] = {
      events: summarize(stats.map((s) => s.events)),
      bytes: summarize(stats.map((s) => s.bytes)),
      ...(locks.length
        ? { lockEvents: summarize(locks.map((s) => s.events)), lockBytes: summarize(locks.map((s) => s.bytes)) }
        : {}),
    };
  }
  // The variant is only what it claims if its runs started no child workflow (the lock is the only one).
  const unlockedChildren = historySample['interpreter-unlocked'].byType.START_CHILD_WORKFLOW_EXECUTION_INITIATED;
  if (unlockedChildren) {
    throw new Error(
      `the interpreter without lock started ${unlockedChildren} child workflow(s): its document has a lock`,
    );
  }
  // And the promised variant only if its runs record what the interpreter's record for the same promises.
  const promisedKept = keptPromises(historySample['handwritten-promised'].byType);
  const interpreterKept = keptPromises(historySample[I].byType);
  if (promisedKept !== interpreterKept) {
    throw new Error(`the promised hand-written records ${promisedKept}, the interpreter ${interpreterKept}`);
  }

  // Throughput, CPU and memory: a fresh worker child per variant and repetition (peak RSS is per process).
  // Each fresh worker first does one unmeasured run: its one-time costs (the interpreter compiles the Arazzo
  // schema, parses and validates the document once per worker; both load the workflow bundle) would otherwise
  // be billed to the first level's few runs. Then it warms up (`params.warmup`), so that every level
  // measures a long-lived worker, not V8 still optimizing (suspected of favouring the hand-written workflow's
  // smaller code path; measured on 1 December, it did not: bench/README.md). Both are on their own rows.
  const firstRunCpu = perVariant<number[]>(() => []);
  const warmupCpuSamples = perVariant<number[]>(() => []);
  const freshWorker = async (variant: Variant) => {
    const worker = await env.startWorker(BUNDLE[variant]);
    firstRunCpu[variant].push((await batch(env, worker, variant, 1, 1)).workerCpuSeconds);
    const warm = await batch(env, worker, variant, params.warmup.concurrency, params.warmup.runs);
    warmupCpuSamples[variant].push((warm.workerCpuSeconds / warm.runs) * 1000);
    return worker;
  };
  for (let rep = 0; rep < params.ladderReps; rep++) {
    for (const variant of VARIANTS) {
      const worker = await freshWorker(variant);
      try {
        for (const level of params.ladder) {
          batches[variant].push(await batch(env, worker, variant, level.concurrency, level.runs));
        }
      } finally {
        await worker.stop();
      }
    }
  }
  for (let rep = 0; rep < params.wide.reps; rep++) {
    for (const variant of VARIANTS) {
      const worker = await freshWorker(variant);
      try {
        batches[variant].push(await batch(env, worker, variant, params.wide.concurrency, params.wide.runs));
      } finally {
        await worker.stop();
      }
    }
  }

  const levels = [...params.ladder.map((l) => l.concurrency), params.wide.concurrency];
  const byLevel = (variant: Variant, pick: (b: Batch) => number) =>
    Object.fromEntries(
      levels.map((c) => [
        c,
        // A figure that could not be read (NaN) is left out, so the row says n/a rather than a wrong number.
        summarize(
          batches[variant]
            .filter((b) => b.concurrency === c)
            .map(pick)
            .filter((x) => !Number.isNaN(x)),
        ),
      ]),
    ) as Record<number, Summary>;
  const throughput = perVariant(() => ({}) as Record<number, Summary>);
  const cpuPer1000 = perVariant(() => ({}) as Record<number, Summary>);
  const machineCpuPer1000 = perVariant(() => ({}) as Record<number, Summary>);
  const coresBusy = perVariant(() => ({}) as Record<number, Summary>);
  const peakRssMiB = perVariant(() => ({}) as Record<number, Summary>);
  const firstRunCpuSeconds = perVariant(() => summarize([]));
  const warmupCpuPer1000 = perVariant(() => summarize([]));
  const latency = {} as VersusHandwrittenResult['latency'];
  for (const variant of VARIANTS) {
    throughput[variant] = byLevel(variant, (b) => b.rotationsPerSecond);
    cpuPer1000[variant] = byLevel(variant, (b) => (b.workerCpuSeconds / b.runs) * 1000);
    machineCpuPer1000[variant] = byLevel(variant, (b) => (machineCpu(b) / b.runs) * 1000);
    coresBusy[variant] = byLevel(variant, (b) => machineCpu(b) / b.seconds);
    peakRssMiB[variant] = byLevel(variant, (b) => mib(b.workerMaxRssBytes));
    firstRunCpuSeconds[variant] = summarize(firstRunCpu[variant]);
    warmupCpuPer1000[variant] = summarize(warmupCpuSamples[variant]);
    latency[variant] = {
      p50: summarize(latencySamples[variant].map((s) => percentile(s, 50))),
      p95: summarize(latencySamples[variant].map((s) => percentile(s, 95))),
      samplesMs: latencySamples[variant],
    };
  }

  // One row: each variant's figure, then interpreter ÷ hand-written (the main ratio) and without lock ÷
  // hand-written beside it (the difference between the two is what the lock costs); then the promises'
  // floor (the hand-written keeping them ÷ the hand-written) and the interpreter over that floor.
  const row = (label: string, figure: (v: Variant) => Summary | undefined, digits = 1) => {
    const [i, u, p, h] = [figure(I), figure(U), figure(P), figure(H)];
    const r = (a?: Summary, b?: Summary) => (a && b ? times(ratio(a, b)) : 'n/a');
    return [label, fmt(i, digits), fmt(u, digits), fmt(p, digits), fmt(h, digits), r(i, h), r(u, h), r(p, h), r(i, p)];
  };
  const P = 'handwritten-promised';
  const H = 'handwritten';
  const ladderTop = params.ladder.at(-1)!.concurrency;
  const rows: string[][] = [
    row('single-run latency p50 (ms)', (v) => latency[v].p50, 0),
    row('single-run latency p95 (ms)', (v) => latency[v].p95, 0),
    ...levels.map((c) => row(`throughput, ${c} concurrent (rotations/s)`, (v) => throughput[v][c], 2)),
    ...levels.map((c) => row(`worker CPU s per 1,000 runs, ${c} concurrent`, (v) => cpuPer1000[v][c])),
    ...levels.map((c) =>
      row(
        `machine CPU s per 1,000 runs (worker + dev server + client and simulator), ${c} concurrent`,
        (v) => machineCpuPer1000[v][c],
      ),
    ),
    ...levels.map((c) =>
      row(
        `cores busy (machine CPU ÷ wall time; the machine has ${cpus().length}), ${c} concurrent`,
        (v) => coresBusy[v][c],
        2,
      ),
    ),
    row(
      'worker CPU s of the first run on a fresh worker (one-time costs, not in the rows above)',
      (v) => firstRunCpuSeconds[v],
      2,
    ),
    row(
      `worker CPU s per 1,000 runs while warming up (the ${params.warmup.runs} runs after the first, ${params.warmup.concurrency} concurrent; not in the rows above)`,
      (v) => warmupCpuPer1000[v],
    ),
    row(`worker peak RSS (MiB), ladder up to ${ladderTop} concurrent`, (v) => peakRssMiB[v][ladderTop], 0),
    row(
      `worker peak RSS (MiB), ${params.wide.concurrency} concurrent`,
      (v) => peakRssMiB[v][params.wide.concurrency],
      0,
    ),
    row('history events per run', (v) => history[v].events, 0),
    row('history KiB per run', (v) => scale(history[v].bytes, kib), 1),
    row(
      'history KiB per run, with the lock workflow',
      (v) => addSummaries(scale(history[v].bytes, kib), scale(history[v].lockBytes, kib)),
      1,
    ),
  ];
  const sample = historySample[I];
  const notes = [
    `Interpreter history (one run, ${sample.events} events, ${num(kib(sample.bytes))} KiB) by event type: ${Object.entries(
      sample.bytesByType,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([t, bytes]) => `${t} ${sample.byType[t]}× ${num(kib(bytes))} KiB`)
      .join(', ')}.`,
    `Activity payloads in that history: ${Object.entries(sample.activityPayloadBytes)
      .map(([t, p]) => `${t} ×${p.count}: inputs ${num(kib(p.input))} KiB, results ${num(kib(p.result))} KiB`)
      .join('; ')}. Hand-written: ${Object.entries(historySample[H].activityPayloadBytes)
      .map(([t, p]) => `${t} ×${p.count} ${num(kib(p.input + p.result), 2)} KiB`)
      .join(', ')}.`,
    `The interpreter's lock is a child workflow with its own history (${fmt(history[I].lockEvents, 0)} events, ${fmt(scale(history[I].lockBytes, kib))} KiB); the plain hand-written workflow takes no lock.`,
    `Hand-written keeping the promises: the plain hand-written workflow plus the interpreter's lock (the same child workflow, started with the first call, which confirms it before sending), its pinned plan (the interpreter's load result for the same document, by a local activity, loaded once per worker), its search attributes and its patch marker; nothing else of the interpreter. Its runs record ${keptPromises(historySample[P].byType)}, as the interpreter's do (checked). It is the floor a run keeping those promises costs: "promises ÷ hand-written" is what they cost, "interpreter ÷ promises" what interpreting costs above them.`,
    `Interpreter without lock: the same document less its \`x-lock-key\` (generated at bench start), on the same bundle and worker program; its runs start no child workflow (${historySample[U].events} events, ${num(kib(historySample[U].bytes))} KiB in one run's history). ${gapSplit('p50 latency', 'ms', latency[I].p50, latency[U].p50, latency[H].p50)} ${gapSplit(`Worker CPU per 1,000 runs at ${ladderTop} concurrent`, 's', cpuPer1000[I][ladderTop], cpuPer1000[U][ladderTop], cpuPer1000[H][ladderTop])}`,
    'Ratios, all of medians: "ratio" is interpreter ÷ hand-written, "without lock ÷ hand-written" the same for the interpreter without lock, "promises ÷ hand-written" the hand-written keeping the promises ÷ the plain one, "interpreter ÷ promises" the interpreter ÷ the hand-written keeping the promises.',
  ];
  return {
    latency,
    throughput,
    cpuPer1000,
    firstRunCpuSeconds,
    warmupCpuPer1000,
    peakRssMiB,
    history,
    historySample,
    batches,
    plot: concurrencyPlot(levels, throughput, cpuPer1000),
    tables: [
      {
        title: '1. Interpreter vs hand-written workflow (corrected Prisma rotation, approval off)',
        columns: [
          'metric',
          NAMES.interpreter,
          NAMES['interpreter-unlocked'],
          NAMES['handwritten-promised'],
          NAMES.handwritten,
          'ratio',
          'without lock ÷ hand-written',
          'promises ÷ hand-written',
          'interpreter ÷ promises',
        ],
        rows,
        notes,
      },
    ],
  };
}

/** What a run's history records for the promises both the interpreter and the promised variant keep. */
function keptPromises(byType: Record<string, number>): string {
  const n = (t: string) => byType[t] ?? 0;
  return `${n('START_CHILD_WORKFLOW_EXECUTION_INITIATED')} child (the lock), ${n('MARKER_RECORDED')} markers (the plan, the patch), ${n('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES')} search-attribute upserts`;
}

/** How the interpreter's gap over hand-written splits: the lock (with − without) and the rest (without − hand-written). */
function gapSplit(what: string, unit: string, withLock: Summary, withoutLock: Summary, handwritten: Summary): string {
  if (!withLock?.n || !withoutLock?.n || !handwritten?.n) return '';
  const gap = withLock.median - handwritten.median;
  const lock = withLock.median - withoutLock.median;
  return `${what}: the interpreter's gap over hand-written is ${num(gap)} ${unit}, of which the lock ${num(lock)} ${unit} and the rest ${num(gap - lock)} ${unit} (medians).`;
}

function scale(s: Summary | undefined, f: (v: number) => number): Summary | undefined {
  return s && { median: f(s.median), min: f(s.min), max: f(s.max), n: s.n };
}

function addSummaries(a: Summary | undefined, b: Summary | undefined): Summary | undefined {
  if (!a || !b) return a;
  return { median: a.median + b.median, min: a.min + b.min, max: a.max + b.max, n: Math.min(a.n, b.n) };
}
