// Scenario 1b, the promise ladder: what each product promise costs on its own. The hand-written rotation
// (no interpreter) keeps one promise at a time, as the interpreter keeps it (handwritten/promised-workflow.ts):
// the lock, the pinned plan, the search attributes; then all three, which is scenario 1's "hand-written
// keeping the promises". Each rung on a fresh, warmed worker child, at one concurrency, rungs interleaved
// per repetition so that the machine's drift spreads over all of them. Where scenario 1 shows that the
// promises together set a floor above a target, this shows which promise sets it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PromiseSet } from '../handwritten/promised-workflow.js';
import type { BenchEnv } from '../lib/environment.js';
import { fmt, kib, num, type Table, times } from '../lib/format.js';
import { historyStats } from '../lib/history.js';
import { BUNDLE, finishRotation, startRotation, type Variant } from '../lib/rotation.js';
import { ratio, type Summary, summarize } from '../lib/stats.js';
import { startPrismaSimulator } from '../../src/simulators/index.js';
import type { BenchParams } from '../params.js';
import { type Batch, batch, machineCpu } from './versus-handwritten.js';

interface Rung {
  name: string;
  variant: Variant;
  keep?: PromiseSet;
}

const NONE: PromiseSet = { lock: false, plan: false, searchAttributes: false };
const RUNGS: Rung[] = [
  { name: 'hand-written', variant: 'handwritten' },
  { name: '+ the lock (with its patch marker)', variant: 'handwritten-promised', keep: { ...NONE, lock: true } },
  { name: '+ the pinned plan', variant: 'handwritten-promised', keep: { ...NONE, plan: true } },
  { name: '+ the search attributes', variant: 'handwritten-promised', keep: { ...NONE, searchAttributes: true } },
  {
    name: 'all three (scenario 1: hand-written keeping the promises)',
    variant: 'handwritten-promised',
    keep: { lock: true, plan: true, searchAttributes: true },
  },
];

export interface PromiseLadderRung {
  name: string;
  keep?: PromiseSet;
  workerCpuPer1000: Summary;
  machineCpuPer1000: Summary;
  rotationsPerSecond: Summary;
  historyKiB: Summary;
  historyEvents: Summary;
  batches: Batch[];
}

export interface PromiseLadderResult {
  concurrency: number;
  runs: number;
  rungs: PromiseLadderRung[];
  tables: Table[];
}

export async function runPromiseLadder(env: BenchEnv, params: BenchParams): Promise<PromiseLadderResult> {
  const { concurrency, runs, reps, historySamples } = params.promises;
  const batches: Batch[][] = RUNGS.map(() => []);
  const histories: { kib: number; events: number }[][] = RUNGS.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    // Every other repetition in reverse: the dev server slows as it fills with closed runs, and a fixed
    // order would bill that drift to the last rungs.
    const order = RUNGS.map((_, i) => i);
    if (rep % 2) order.reverse();
    for (const i of order) {
      const rung = RUNGS[i];
      const options = rung.keep ? { keep: rung.keep } : {};
      const worker = await env.startWorker(BUNDLE[rung.variant]);
      try {
        // As scenario 1's fresh workers: one run for the one-time costs, then the warm-up, neither measured.
        await batch(env, worker, rung.variant, 1, 1, options);
        await batch(env, worker, rung.variant, params.warmup.concurrency, params.warmup.runs, options);
        batches[i].push(await batch(env, worker, rung.variant, concurrency, runs, options));
        if (rep === 0) histories[i] = await sampleHistories(env, worker.taskQueue, rung, historySamples);
      } finally {
        await worker.stop();
      }
    }
  }

  const rungs: PromiseLadderRung[] = RUNGS.map((rung, i) => ({
    name: rung.name,
    keep: rung.keep,
    workerCpuPer1000: summarize(batches[i].map((b) => (b.workerCpuSeconds / b.runs) * 1000)),
    machineCpuPer1000: summarize(
      batches[i].map((b) => (machineCpu(b) / b.runs) * 1000).filter((x) => !Number.isNaN(x)),
    ),
    rotationsPerSecond: summarize(batches[i].map((b) => b.rotationsPerSecond)),
    historyKiB: summarize(histories[i].map((h) => h.kib)),
    historyEvents: summarize(histories[i].map((h) => h.events)),
    batches: batches[i],
  }));
  const hand = rungs[0];
  const cell = (s: Summary, base: Summary, digits: number) => [fmt(s, digits), times(ratio(s, base))];
  const rows = rungs.map((r) => [
    r.name,
    ...cell(r.workerCpuPer1000, hand.workerCpuPer1000, 1),
    ...cell(r.machineCpuPer1000, hand.machineCpuPer1000, 1),
    ...cell(r.rotationsPerSecond, hand.rotationsPerSecond, 2),
    ...cell(r.historyKiB, hand.historyKiB, 1),
    fmt(r.historyEvents, 0),
  ]);
  const excess = (pick: (r: PromiseLadderRung) => Summary) =>
    rungs.slice(1, 4).reduce((sum, r) => sum + pick(r).median - pick(hand).median, 0);
  const all = rungs[4];
  return {
    concurrency,
    runs,
    rungs,
    tables: [
      {
        title: `1b. What each promise costs: the hand-written rotation keeping one at a time (${runs} runs, ${concurrency} concurrent)`,
        columns: [
          'rung',
          'worker CPU s per 1,000 runs',
          '÷ hand-written',
          'machine CPU s per 1,000 runs',
          '÷ hand-written',
          'rotations/s',
          '÷ hand-written',
          'history KiB per run, with the lock workflow',
          '÷ hand-written',
          'history events',
        ],
        rows,
        notes: [
          `Each rung on a fresh worker child that first did one run and ${params.warmup.runs} warm-up runs (${params.warmup.concurrency} concurrent), not measured; ${reps} repetitions, rungs interleaved, every other repetition in reverse order (the server slows as it fills); history from ${historySamples} runs of the first repetition. Each promise is kept as the interpreter keeps it (bench/handwritten/promised-workflow.ts): the lock is the interpreter's lock child, started with the first call, which confirms it before sending, and it brings the patch marker; the pinned plan is the interpreter's load result for the same document, by a local activity (loaded once per worker: the rung pays for pinning, not for loading); the search attributes are upserted when the state changes.`,
          `The three promises' excess over the hand-written, added up: worker CPU ${num(excess((r) => r.workerCpuPer1000))} s per 1,000 runs, machine CPU ${num(excess((r) => r.machineCpuPer1000))} s; all three kept together: ${num(all.workerCpuPer1000.median - hand.workerCpuPer1000.median)} s and ${num(all.machineCpuPer1000.median - hand.machineCpuPer1000.median)} s (medians).`,
        ],
      },
    ],
  };
}

/** History size of a few runs of one rung, each run's own plus its lock's (the lock is part of what it costs). */
async function sampleHistories(
  env: BenchEnv,
  taskQueue: string,
  rung: Rung,
  samples: number,
): Promise<{ kib: number; events: number }[]> {
  const sim = await startPrismaSimulator({ port: 0 });
  try {
    const ran = [];
    for (let i = 0; i < samples; i++) {
      const started = await startRotation(
        env.client,
        sim,
        taskQueue,
        rung.variant,
        rung.keep ? { keep: rung.keep } : {},
      );
      await finishRotation(rung.variant, started);
      ran.push(started);
    }
    // A lock ends a few milliseconds after its holder (parent close policy): its history is read once it has.
    await sleep(1000);
    const out: { kib: number; events: number }[] = [];
    for (const started of ran) {
      const run = await historyStats(env.client, started.handle.workflowId);
      const lock = started.lockWorkflowId ? await historyStats(env.client, started.lockWorkflowId) : undefined;
      out.push({ kib: kib(run.bytes + (lock?.bytes ?? 0)), events: run.events });
    }
    return out;
  } finally {
    await sim.close();
  }
}
