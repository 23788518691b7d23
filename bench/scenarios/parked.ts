// Scenario 4: many rotations parked at the approval step at once (approval on), what that costs the
// worker and the server, then every one approved by signal and the time until all have finished.
import type { WorkflowHandle } from '@temporalio/client';
import { startPrismaSimulator } from '../../src/simulators/index.js';
import type { ArazzoRunResult } from '../../src/workflows/types.js';
import type { BenchEnv } from '../lib/environment.js';
import { kib, mib, num, type Table } from '../lib/format.js';
import { historyStats } from '../lib/history.js';
import { residentBytes } from '../lib/process-memory.js';
import { startRotation } from '../lib/rotation.js';
import { median } from '../lib/stats.js';
import { nowMs, pool, sleep } from '../lib/time.js';
import type { BenchParams } from '../params.js';

export interface ParkedResult {
  runs: number;
  secondsToPark: number;
  workerRssMiB: { idle: number; parked: number; peak: number };
  serverRssMiB: { before?: number; parked?: number };
  historyBytesPerParkedRun: number;
  historyMiBTotal: number;
  secondsToDrain: number;
  tables: Table[];
}

export async function runParked(env: BenchEnv, params: BenchParams): Promise<ParkedResult> {
  const n = params.parked.runs;
  const sim = await startPrismaSimulator({ port: 0 });
  const worker = await env.startWorker('interpreter');
  try {
    const idle = await worker.usage();
    const serverBefore = residentBytes(env.server.process.pid);
    const start = nowMs();
    const handles: WorkflowHandle[] = await pool(n, 50, async () => {
      const started = await startRotation(env.client, sim, worker.taskQueue, 'interpreter', { approval: true });
      return started.handle;
    });
    const query = `TaskQueue = '${worker.taskQueue}' AND ArazzoState = 'awaiting-approval'`;
    const deadline = Date.now() + 30 * 60_000;
    while ((await env.client.workflow.count(query)).count < n) {
      if (Date.now() > deadline) throw new Error('runs did not all reach the approval step in 30 minutes');
      await sleep(500);
    }
    const secondsToPark = (nowMs() - start) / 1000;
    const parked = await worker.usage();
    const serverParked = residentBytes(env.server.process.pid);
    const sample = handles.slice(0, params.parked.historySamples);
    const sizes = await pool(
      sample.length,
      10,
      async (i) => (await historyStats(env.client, sample[i].workflowId)).bytes,
    );
    const perRun = median(sizes);

    const drainStart = nowMs();
    await pool(n, 50, async (i) => {
      const handle = handles[i];
      await handle.signal('approve', { stepId: 'revokeOldConnection', by: 'bench' });
      const result = (await handle.result()) as ArazzoRunResult;
      if (result.status !== 'completed') throw new Error(`${handle.workflowId} ended ${result.status}`);
    });
    const secondsToDrain = (nowMs() - drainStart) / 1000;
    const after = await worker.usage();

    const r = {
      runs: n,
      secondsToPark,
      workerRssMiB: { idle: mib(idle.rssBytes), parked: mib(parked.rssBytes), peak: mib(after.maxRssBytes) },
      serverRssMiB: {
        before: serverBefore === undefined ? undefined : mib(serverBefore),
        parked: serverParked === undefined ? undefined : mib(serverParked),
      },
      historyBytesPerParkedRun: perRun,
      historyMiBTotal: mib(perRun * n),
    };
    const opt = (v: number | undefined) => (v === undefined ? 'n/a' : num(v, 0));
    return {
      ...r,
      secondsToDrain,
      tables: [
        {
          title: `4. ${n} rotations parked at the approval step at once (approval on)`,
          columns: ['measurement', 'value'],
          rows: [
            ['time until all were parked (s)', num(secondsToPark)],
            ['worker RSS idle → all parked (MiB)', `${num(r.workerRssMiB.idle, 0)} → ${num(r.workerRssMiB.parked, 0)}`],
            ['worker RSS per parked run (KiB)', num(kib((parked.rssBytes - idle.rssBytes) / n), 1)],
            ['worker peak RSS over the scenario (MiB)', num(r.workerRssMiB.peak, 0)],
            [
              'dev server RSS before → all parked (MiB)',
              `${opt(r.serverRssMiB.before)} → ${opt(r.serverRssMiB.parked)}`,
            ],
            [`history per parked run (KiB; median of ${sample.length})`, num(kib(perRun), 1)],
            [`history of all ${n} parked runs (MiB, estimated)`, num(r.historyMiBTotal, 1)],
            ['all approved by signal → all finished (s)', num(secondsToDrain)],
          ],
          notes: [
            "One run per figure (the scenario is its own repetition at this size). The lock workflows (one per run) add their own small histories; the history figure is the run's own.",
          ],
        },
      ],
    };
  } finally {
    await worker.stop();
    await sim.close();
  }
}
