// Scenario 4: many rotations parked at the approval step at once (approval on), what that costs the
// worker and the server, then every one approved by signal and the time until all have finished.
// While the runs start and park, and while they drain, the worker's RSS is sampled with the runs
// started / parked / finished so far: a curve that flattens once the worker's workflow cache is full
// shows that its memory is bounded by the cache, not by the number of parked runs.
// `parked-handwritten` parks the hand-written workflow the same way (its own fresh dev server and worker):
// what parking costs on this machine without the interpreter; `parked-promised` the hand-written workflow
// keeping the product's promises (handwritten/promised-workflow.ts), the floor for the interpreter's figure.
import type { WorkflowHandle } from '@temporalio/client';
import { type PrismaSimulator, startPrismaSimulator } from '../../src/simulators/index.js';
import type { ArazzoRunResult } from '../../src/workflows/types.js';
import type { HandwrittenRotationResult } from '../handwritten/workflow.js';
import type { BenchEnv } from '../lib/environment.js';
import { kib, mib, num, type Table } from '../lib/format.js';
import { historyStats } from '../lib/history.js';
import type { PlotSeries } from '../lib/plot.js';
import { residentBytes } from '../lib/process-memory.js';
import { startRotation } from '../lib/rotation.js';
import { median } from '../lib/stats.js';
import { nowMs, pool, sleep } from '../lib/time.js';
import type { ScenarioPlot } from '../lib/report.js';
import type { BenchParams } from '../params.js';
import type { WorkerUsage } from '../worker-child.js';

/** One point of the curve. */
export interface ParkedSample {
  phase: 'parking' | 'draining';
  /** Since the first start call. */
  seconds: number;
  /** Start calls that have returned. */
  started: number;
  /** Runs of this task queue that visibility lists as awaiting approval. */
  parked: number;
  /** Approved runs whose result the bench has read (completed). */
  finished: number;
  workerRssMiB: number;
}

/** The first parking sample with at least `fraction` of the runs parked. */
interface CurvePoint {
  parked: number;
  seconds: number;
  workerRssMiB: number;
}

/** What is parked: the interpreter running the Prisma document, or a hand-written baseline (with or without the promises). */
export type ParkedVariant = 'interpreter' | 'handwritten-promised' | 'handwritten';

export interface ParkedResult {
  variant: ParkedVariant;
  runs: number;
  /** The workflow cache size the worker child reported (runs it keeps in memory). */
  maxCachedWorkflows: number;
  secondsToPark: number;
  workerRssMiB: { idle: number; parked: number; peak: number };
  /** Worker RSS when 10%, 50% and 100% of the runs were parked (the first sample at or past each). */
  rssAtParked: { p10?: CurvePoint; p50?: CurvePoint; p100?: CurvePoint };
  /** ΔRSS ÷ Δruns parked between the 50% and 100% points: near 0 once the cache is full. */
  rssKiBPerParkedRunSecondHalf: number;
  /** The same slope fitted (least squares) to every sample of the second half. */
  rssKiBPerParkedRunSecondHalfFit: { slope: number; samples: number };
  serverRssMiB: { before?: number; parked?: number };
  historyBytesPerParkedRun: number;
  historyMiBTotal: number;
  secondsToDrain: number;
  samples: ParkedSample[];
  tables: Table[];
  plot: ScenarioPlot;
}

/** How often visibility is asked whether every run is parked (samples are taken every `sampleEveryMs`). */
const POLL_MS = 500;

/** The minutes allowed for parking: 30 per 1,000 runs (an upper bound on a shared 2-core machine). */
export function parkDeadlineMinutes(runs: number): number {
  return 30 * Math.max(1, runs / 1000);
}

function pointAt(samples: ParkedSample[], runs: number, fraction: number): CurvePoint | undefined {
  const s = samples.find((x) => x.phase === 'parking' && x.parked >= Math.ceil(fraction * runs));
  return s && { parked: s.parked, seconds: s.seconds, workerRssMiB: s.workerRssMiB };
}

/** ΔRSS (KiB) ÷ Δruns parked between two points of the curve; NaN when they are the same sample. */
export function rssSlopeKiBPerRun(from: CurvePoint | undefined, to: CurvePoint | undefined): number {
  if (!from || !to || to.parked <= from.parked) return Number.NaN;
  return ((to.workerRssMiB - from.workerRssMiB) * 1024) / (to.parked - from.parked);
}

/**
 * Least-squares slope of RSS (KiB) against runs parked over the parking samples with at least half the
 * runs parked: less swayed than two points by the garbage collector's sawtooth. NaN with fewer than two
 * distinct counts.
 */
export function rssFitKiBPerRun(samples: ParkedSample[], runs: number): { slope: number; samples: number } {
  const half = samples.filter((s) => s.phase === 'parking' && s.parked >= Math.ceil(runs / 2));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(half.map((s) => s.parked));
  const my = mean(half.map((s) => s.workerRssMiB));
  let sxy = 0;
  let sxx = 0;
  for (const s of half) {
    sxy += (s.parked - mx) * (s.workerRssMiB - my);
    sxx += (s.parked - mx) ** 2;
  }
  return { slope: sxx > 0 ? (sxy / sxx) * 1024 : Number.NaN, samples: half.length };
}

const one = (v: number) => ({ median: v, min: v, max: v, n: 1 });

function curvePlot(samples: ParkedSample[], runs: number, cache: number, sampleEveryMs: number): ScenarioPlot {
  const parking = samples.filter((s) => s.phase === 'parking');
  const draining = samples.filter((s) => s.phase === 'draining');
  const cacheFits = cache < runs;
  // Dots (with tooltips) only while there are few enough samples to tell apart.
  const dots = samples.length <= 40;
  const line = (name: string, color: string, points: Array<{ x: number; y: number }>): PlotSeries => ({
    name,
    color,
    dots,
    points: points.map((p) => ({ x: p.x, y: one(p.y) })),
  });
  return {
    alt: 'worker RSS against runs parked, with the workflow cache size; RSS and runs over time',
    panels: [
      {
        title: 'Worker RSS while parking',
        xLabel: 'runs parked at the approval step',
        yLabel: 'worker RSS (MiB)',
        xScale: 'linear',
        markers: cacheFits ? [{ x: cache, label: `cache full (${cache} runs)` }] : [],
        series: [
          line(
            'worker RSS',
            '#d62728',
            parking.map((s) => ({ x: s.parked, y: s.workerRssMiB })),
          ),
        ],
      },
      {
        title: 'Worker RSS over time',
        xLabel: 'seconds since the first start',
        yLabel: 'worker RSS (MiB)',
        xScale: 'linear',
        series: [
          line(
            'parking',
            '#d62728',
            parking.map((s) => ({ x: s.seconds, y: s.workerRssMiB })),
          ),
          line(
            'approved, draining',
            '#1f77b4',
            draining.map((s) => ({ x: s.seconds, y: s.workerRssMiB })),
          ),
        ],
      },
      {
        title: 'Runs',
        xLabel: 'seconds since the first start',
        yLabel: 'runs',
        xScale: 'linear',
        series: [
          line(
            'started',
            '#7f7f7f',
            parking.map((s) => ({ x: s.seconds, y: s.started })),
          ),
          line(
            'parked',
            '#d62728',
            samples.map((s) => ({ x: s.seconds, y: s.parked })),
          ),
          line(
            'finished',
            '#1f77b4',
            draining.map((s) => ({ x: s.seconds, y: s.finished })),
          ),
        ],
      },
    ],
    caption: `${runs} runs. Worker child RSS read over IPC every ${sampleEveryMs / 1000} s; parked = visibility count of awaiting-approval runs. ${
      cacheFits
        ? `Dashed: the worker's workflow cache (${cache} runs); past it parked runs are evicted and RSS should stay flat.`
        : `The worker's cache (${cache} runs) holds every run: no bound to see at this size.`
    }`,
  };
}

/**
 * Runs per Prisma simulator. A simulator's audit log keeps, with every entry, every credential valid at that
 * moment (what the reliability matrix's "never zero valid" check reads), so its memory grows with the square
 * of the runs it serves: 10,000 runs on one simulator ran the bench process out of heap. Each serves a slice.
 */
const RUNS_PER_SIMULATOR = 50;

export async function runParked(
  env: BenchEnv,
  params: BenchParams,
  variant: ParkedVariant = 'interpreter',
): Promise<ParkedResult> {
  const n = params.parked.runs;
  const { sampleEveryMs, maxCachedWorkflows } = params.parked;
  const simulators: Promise<PrismaSimulator>[] = [];
  const simulatorFor = (run: number) =>
    (simulators[Math.floor(run / RUNS_PER_SIMULATOR)] ??= startPrismaSimulator({ port: 0 }));
  const worker = await env.startWorker(
    variant,
    maxCachedWorkflows === undefined ? {} : { env: { ARAZZO_MAX_CACHED_WORKFLOWS: String(maxCachedWorkflows) } },
  );
  try {
    const idle = await worker.usage();
    const cache = idle.maxCachedWorkflows;
    const serverBefore = residentBytes(env.server.process.pid);
    const query = `TaskQueue = '${worker.taskQueue}' AND ArazzoState = 'awaiting-approval'`;
    const countParked = async () => (await env.client.workflow.count(query)).count;
    const samples: ParkedSample[] = [];
    const start = nowMs();
    let started = 0;
    let finished = 0;
    const sample = async (phase: ParkedSample['phase'], parked: number): Promise<WorkerUsage> => {
      const u = await worker.usage();
      samples.push({
        phase,
        seconds: (nowMs() - start) / 1000,
        started,
        parked,
        finished,
        workerRssMiB: mib(u.rssBytes),
      });
      return u;
    };
    samples.push({ phase: 'parking', seconds: 0, started, parked: 0, finished, workerRssMiB: mib(idle.rssBytes) });

    const starting = pool(n, 50, async (i) => {
      const sim = await simulatorFor(i);
      const run = await startRotation(env.client, sim, worker.taskQueue, variant, { approval: true });
      started++;
      return run.handle;
    });
    let startsSettled = false;
    starting.then(
      () => {
        startsSettled = true;
      },
      () => {
        startsSettled = true;
      },
    );
    const minutes = parkDeadlineMinutes(n);
    const deadline = Date.now() + minutes * 60_000;
    let lastSample = nowMs();
    let parked: WorkerUsage;
    let secondsToPark: number;
    for (;;) {
      const count = await countParked();
      if (startsSettled && count >= n) {
        secondsToPark = (nowMs() - start) / 1000;
        parked = await sample('parking', count);
        break;
      }
      if (startsSettled) await starting; // a failed start call ends the scenario with its error
      if (nowMs() - lastSample >= sampleEveryMs) {
        lastSample = nowMs();
        await sample('parking', count);
      }
      if (Date.now() > deadline) throw new Error(`runs did not all reach the approval step in ${minutes} minutes`);
      await sleep(POLL_MS);
    }
    const handles: WorkflowHandle[] = await starting;
    const serverParked = residentBytes(env.server.process.pid);
    const historySample = handles.slice(0, params.parked.historySamples);
    const sizes = await pool(
      historySample.length,
      10,
      async (i) => (await historyStats(env.client, historySample[i].workflowId)).bytes,
    );
    const perRun = median(sizes);

    const drainStart = nowMs();
    const draining = pool(n, 50, async (i) => {
      const handle = handles[i];
      await handle.signal('approve', { stepId: 'revokeOldConnection', by: 'bench' });
      const result = (await handle.result()) as ArazzoRunResult | HandwrittenRotationResult;
      if ('status' in result && result.status !== 'completed') {
        throw new Error(`${handle.workflowId} ended ${result.status}`);
      }
      finished++;
    });
    // When the last run finished (or the first failed), not when the sampling loop next notices.
    const drained = draining.then(
      () => nowMs(),
      () => nowMs(),
    );
    const tick = () => sleep(sampleEveryMs).then(() => undefined);
    while ((await Promise.race([drained, tick()])) === undefined) await sample('draining', await countParked());
    await draining; // every run completed, or the first that did not is the scenario's error
    const secondsToDrain = ((await drained) - drainStart) / 1000;
    const after = await sample('draining', await countParked());

    const rssAtParked = { p10: pointAt(samples, n, 0.1), p50: pointAt(samples, n, 0.5), p100: pointAt(samples, n, 1) };
    const slope = rssSlopeKiBPerRun(rssAtParked.p50, rssAtParked.p100);
    const fit = rssFitKiBPerRun(samples, n);
    const r = {
      variant,
      runs: n,
      maxCachedWorkflows: cache,
      secondsToPark,
      workerRssMiB: { idle: mib(idle.rssBytes), parked: mib(parked.rssBytes), peak: mib(after.maxRssBytes) },
      rssAtParked,
      rssKiBPerParkedRunSecondHalf: slope,
      rssKiBPerParkedRunSecondHalfFit: fit,
      serverRssMiB: {
        before: serverBefore === undefined ? undefined : mib(serverBefore),
        parked: serverParked === undefined ? undefined : mib(serverParked),
      },
      historyBytesPerParkedRun: perRun,
      historyMiBTotal: mib(perRun * n),
    };
    const opt = (v: number | undefined) => (v === undefined ? 'n/a' : num(v, 0));
    const at = (p: CurvePoint | undefined) =>
      p ? `${num(p.workerRssMiB, 0)} (${num(p.parked, 0)} parked, at ${num(p.seconds, 0)} s)` : 'n/a';
    return {
      ...r,
      secondsToDrain,
      samples,
      plot: curvePlot(samples, n, cache, sampleEveryMs),
      tables: [
        {
          title:
            variant === 'interpreter'
              ? `4. ${n} rotations parked at the approval step at once (approval on)`
              : variant === 'handwritten'
                ? `4b. The hand-written workflow: ${n} rotations parked before the DELETE at once (the baseline for 4)`
                : `4c. The hand-written workflow keeping the promises: ${n} rotations parked before the DELETE at once (the floor for 4)`,
          columns: ['measurement', 'value'],
          rows: [
            ['time until all were parked (s)', num(secondsToPark)],
            ['worker RSS idle → all parked (MiB)', `${num(r.workerRssMiB.idle, 0)} → ${num(r.workerRssMiB.parked, 0)}`],
            ['worker RSS per parked run (KiB)', num(kib((parked.rssBytes - idle.rssBytes) / n), 1)],
            ['worker peak RSS over the scenario (MiB)', num(r.workerRssMiB.peak, 0)],
            [
              'worker workflow cache (runs kept)',
              `${num(cache, 0)}${cache >= n ? ' (holds every run: no bound to see at this size)' : ''}`,
            ],
            ['worker RSS at 10% of runs parked (MiB)', at(rssAtParked.p10)],
            ['worker RSS at 50% of runs parked (MiB)', at(rssAtParked.p50)],
            ['worker RSS at 100% of runs parked (MiB)', at(rssAtParked.p100)],
            ['worker RSS per parked run, 50% → 100% parked (KiB; ΔRSS ÷ Δruns)', num(slope, 1)],
            [
              `the same, least-squares fit over the ${fit.samples} sample${fit.samples === 1 ? '' : 's'} of that half (KiB per run)`,
              num(fit.slope, 1),
            ],
            [
              'dev server RSS before → all parked (MiB)',
              `${opt(r.serverRssMiB.before)} → ${opt(r.serverRssMiB.parked)}`,
            ],
            [`history per parked run (KiB; median of ${historySample.length})`, num(kib(perRun), 1)],
            [`history of all ${n} parked runs (MiB, estimated)`, num(r.historyMiBTotal, 1)],
            ['all approved by signal → all finished (s)', num(secondsToDrain)],
          ],
          notes: [
            `One run per figure (the scenario is its own repetition at this size). ${
              variant === 'interpreter'
                ? "The lock workflows (one per run) add their own small histories; the history figure is the run's own."
                : variant === 'handwritten'
                  ? 'The hand-written workflow takes no lock and pins no document: what parking costs on this machine without the interpreter.'
                  : "It takes the interpreter's lock, pins its plan and sets its search attributes, and nothing else of the interpreter: what parking costs on this machine with the promises kept. The lock workflows add their own small histories; the history figure is the run's own."
            }`,
            `The curve (${samples.length} samples, every ${sampleEveryMs / 1000} s while parking and draining) is in the JSON report and the plot. Once more runs are parked than the cache keeps, the worker evicts the oldest and RSS should stay flat: the 50% → 100% slope near 0.`,
          ],
        },
      ],
    };
  } finally {
    await worker.stop();
    await Promise.all(simulators.map(async (sim) => (await sim).close()));
  }
}
