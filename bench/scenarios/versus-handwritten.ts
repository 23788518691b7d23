// Scenario 1: the interpreter running the corrected Prisma rotation vs the hand-written Temporal
// workflow making the same five calls, on identical worker children (fresh ones per measured batch).
import { startPrismaSimulator } from '../../src/simulators/index.js';
import type { BenchEnv, BenchWorker } from '../lib/environment.js';
import { fmt, kib, mib, num, type Table, times } from '../lib/format.js';
import { type HistoryStats, historyStats } from '../lib/history.js';
import type { PlotPanel } from '../lib/plot.js';
import { finishRotation, runRotation, startRotation, VARIANTS, type Variant } from '../lib/rotation.js';
import { percentile, ratio, type Summary, summarize } from '../lib/stats.js';
import { nowMs, pool } from '../lib/time.js';
import type { BenchParams } from '../params.js';

interface Batch {
  concurrency: number;
  runs: number;
  seconds: number;
  rotationsPerSecond: number;
  workerCpuSeconds: number;
  workerMaxRssBytes: number;
}

type PerVariant<T> = Record<Variant, T>;

export interface VersusHandwrittenResult {
  latency: PerVariant<{ p50: Summary; p95: Summary; samplesMs: number[][] }>;
  throughput: PerVariant<Record<number, Summary>>;
  cpuPer1000: PerVariant<Record<number, Summary>>;
  /** Worker CPU of the first run on a fresh worker (one-time costs), apart from the per-run figures. */
  firstRunCpuSeconds: PerVariant<Summary>;
  peakRssMiB: PerVariant<Record<number, Summary>>;
  history: PerVariant<{ events: Summary; bytes: Summary; lockEvents?: Summary; lockBytes?: Summary }>;
  historySample: PerVariant<HistoryStats>;
  batches: PerVariant<Batch[]>;
  tables: Table[];
  /** Throughput and worker CPU against concurrency, both variants: written as an SVG beside the report. */
  plot: { panels: PlotPanel[]; caption: string };
}

const COLORS: PerVariant<string> = { interpreter: '#d62728', handwritten: '#1f77b4' };
const NAMES: PerVariant<string> = { interpreter: 'interpreter', handwritten: 'hand-written' };

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
    caption: 'Median of the repetitions; bars from min to max. Same server, same machine, same run, side by side.',
  };
}

/** A batch of rotations on one worker; CPU is the worker child's own, read before and after. */
async function batch(env: BenchEnv, worker: BenchWorker, variant: Variant, concurrency: number, runs: number) {
  // A fresh simulator per batch: it keeps every credential ever issued and gets slower with them.
  const sim = await startPrismaSimulator({ port: 0 });
  try {
    const before = await worker.usage();
    const start = nowMs();
    await pool(runs, concurrency, async () =>
      finishRotation(variant, await startRotation(env.client, sim, worker.taskQueue, variant)),
    );
    const seconds = (nowMs() - start) / 1000;
    const after = await worker.usage();
    return {
      concurrency,
      runs,
      seconds,
      rotationsPerSecond: runs / seconds,
      workerCpuSeconds: after.cpuSeconds - before.cpuSeconds,
      workerMaxRssBytes: after.maxRssBytes,
    };
  } finally {
    await sim.close();
  }
}

function perVariant<T>(make: () => T): PerVariant<T> {
  return { interpreter: make(), handwritten: make() };
}

export async function runVersusHandwritten(env: BenchEnv, params: BenchParams): Promise<VersusHandwrittenResult> {
  const batches = perVariant<Batch[]>(() => []);

  // Latency and history: one long-lived worker per variant, runs alternating between variants.
  const workers = {
    interpreter: await env.startWorker('interpreter'),
    handwritten: await env.startWorker('handwritten'),
  };
  const sim = await startPrismaSimulator({ port: 0 });
  const latencySamples = perVariant<number[][]>(() => []);
  const historyIds = perVariant<{ workflowId: string; lockWorkflowId?: string }[]>(() => []);
  try {
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
    await Promise.all(VARIANTS.map((v) => workers[v].stop()));
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

  // Throughput, CPU and memory: a fresh worker child per variant and repetition (peak RSS is per process).
  // Each fresh worker first does one unmeasured run: its one-time costs (the interpreter compiles the Arazzo
  // schema, parses and validates the document once per worker; both load the workflow bundle) would otherwise
  // be billed to the first level's few runs. They are reported on their own row.
  const firstRunCpu = perVariant<number[]>(() => []);
  const freshWorker = async (variant: Variant) => {
    const worker = await env.startWorker(variant);
    firstRunCpu[variant].push((await batch(env, worker, variant, 1, 1)).workerCpuSeconds);
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
      levels.map((c) => [c, summarize(batches[variant].filter((b) => b.concurrency === c).map(pick))]),
    ) as Record<number, Summary>;
  const throughput = perVariant(() => ({}) as Record<number, Summary>);
  const cpuPer1000 = perVariant(() => ({}) as Record<number, Summary>);
  const peakRssMiB = perVariant(() => ({}) as Record<number, Summary>);
  const firstRunCpuSeconds = perVariant(() => summarize([]));
  const latency = {} as VersusHandwrittenResult['latency'];
  for (const variant of VARIANTS) {
    throughput[variant] = byLevel(variant, (b) => b.rotationsPerSecond);
    cpuPer1000[variant] = byLevel(variant, (b) => (b.workerCpuSeconds / b.runs) * 1000);
    peakRssMiB[variant] = byLevel(variant, (b) => mib(b.workerMaxRssBytes));
    firstRunCpuSeconds[variant] = summarize(firstRunCpu[variant]);
    latency[variant] = {
      p50: summarize(latencySamples[variant].map((s) => percentile(s, 50))),
      p95: summarize(latencySamples[variant].map((s) => percentile(s, 95))),
      samplesMs: latencySamples[variant],
    };
  }

  const row = (label: string, a: Summary | undefined, b: Summary | undefined, digits = 1) => [
    label,
    fmt(a, digits),
    fmt(b, digits),
    a && b ? times(ratio(a, b)) : 'n/a',
  ];
  const I = 'interpreter';
  const H = 'handwritten';
  const rows: string[][] = [
    row('single-run latency p50 (ms)', latency[I].p50, latency[H].p50, 0),
    row('single-run latency p95 (ms)', latency[I].p95, latency[H].p95, 0),
    ...levels.map((c) => row(`throughput, ${c} concurrent (rotations/s)`, throughput[I][c], throughput[H][c], 2)),
    ...levels.map((c) => row(`worker CPU s per 1,000 runs, ${c} concurrent`, cpuPer1000[I][c], cpuPer1000[H][c])),
    row(
      'worker CPU s of the first run on a fresh worker (one-time costs, not in the rows above)',
      firstRunCpuSeconds[I],
      firstRunCpuSeconds[H],
      2,
    ),
    row(
      `worker peak RSS (MiB), ladder up to ${params.ladder.at(-1)?.concurrency} concurrent`,
      peakRssMiB[I][params.ladder.at(-1)!.concurrency],
      peakRssMiB[H][params.ladder.at(-1)!.concurrency],
      0,
    ),
    row(
      `worker peak RSS (MiB), ${params.wide.concurrency} concurrent`,
      peakRssMiB[I][params.wide.concurrency],
      peakRssMiB[H][params.wide.concurrency],
      0,
    ),
    row('history events per run', history[I].events, history[H].events, 0),
    row('history KiB per run', scale(history[I].bytes, kib), scale(history[H].bytes, kib), 1),
    row(
      'history KiB per run, with the lock workflow',
      addSummaries(scale(history[I].bytes, kib), scale(history[I].lockBytes, kib)),
      scale(history[H].bytes, kib),
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
    `The interpreter's lock is a child workflow with its own history (${fmt(history[I].lockEvents, 0)} events, ${fmt(scale(history[I].lockBytes, kib))} KiB); the hand-written workflow takes no lock.`,
  ];
  return {
    latency,
    throughput,
    cpuPer1000,
    firstRunCpuSeconds,
    peakRssMiB,
    history,
    historySample,
    batches,
    plot: concurrencyPlot(levels, throughput, cpuPer1000),
    tables: [
      {
        title: '1. Interpreter vs hand-written workflow (corrected Prisma rotation, approval off)',
        columns: ['metric', 'interpreter', 'hand-written', 'ratio'],
        rows,
        notes,
      },
    ],
  };
}

function scale(s: Summary | undefined, f: (v: number) => number): Summary | undefined {
  return s && { median: f(s.median), min: f(s.min), max: f(s.max), n: s.n };
}

function addSummaries(a: Summary | undefined, b: Summary | undefined): Summary | undefined {
  if (!a || !b) return a;
  return { median: a.median + b.median, min: a.min + b.min, max: a.max + b.max, n: Math.min(a.n, b.n) };
}
