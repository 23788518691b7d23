// Scenario 2a: Redocly Respect vs ours on the corrected Prisma rotation: one run's wall time, and 200
// rotations (Respect: one process per rotation, sequentially and two at a time; ours: 200 concurrent).
import { type PrismaSimulator, startPrismaSimulator } from '../../src/simulators/index.js';
import type { BenchEnv } from '../lib/environment.js';
import { fmt, type Table, times } from '../lib/format.js';
import { respectInput, respectOnce, respectPrismaDocument, respectXargs } from '../lib/respect.js';
import { finishRotation, runRotation, startRotation } from '../lib/rotation.js';
import { ratio, type Summary, summarize } from '../lib/stats.js';
import { nowMs, pool } from '../lib/time.js';
import type { BenchParams } from '../params.js';

export interface VersusRespectResult {
  singleRunMs: { respect: Summary; ours: Summary };
  rotations: number;
  batchSeconds: { respectSequential: Summary; respectTwoAtATime: Summary; oursConcurrent: Summary };
  tables: Table[];
}

function seedInputs(sim: PrismaSimulator, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const s = sim.seed();
    return {
      connectionId: s.connectionId,
      input: respectInput({
        apiToken: s.serviceToken,
        databaseId: s.databaseId,
        oldConnectionId: s.connectionId,
        newName: `respect-${i}-${Date.now()}`,
      }),
    };
  });
}

function checkRevoked(sim: PrismaSimulator, seeds: { connectionId: string }[]) {
  const missed = seeds.filter((s) => !sim.state.connection(s.connectionId)?.revoked).length;
  if (missed) throw new Error(`${missed} of ${seeds.length} Respect runs did not revoke their connection`);
}

async function respectBatch(workDir: string, count: number, parallel: number): Promise<number> {
  const sim = await startPrismaSimulator({ port: 0 });
  try {
    const seeds = seedInputs(sim, count);
    const document = respectPrismaDocument(workDir);
    const ms = await respectXargs(
      document,
      `prismaManagementApi=${sim.baseUrl}`,
      seeds.map((s) => s.input),
      parallel,
    );
    checkRevoked(sim, seeds);
    return ms / 1000;
  } finally {
    await sim.close();
  }
}

export async function runVersusRespect(env: BenchEnv, params: BenchParams): Promise<VersusRespectResult> {
  const n = params.respect.rotations;
  const worker = await env.startWorker('interpreter');
  const respectSingle: number[] = [];
  const oursSingle: number[] = [];
  const ours: number[] = [];
  try {
    const sim = await startPrismaSimulator({ port: 0 });
    try {
      const document = respectPrismaDocument(env.workDir);
      await runRotation(env.client, sim, worker.taskQueue, 'interpreter'); // warm-up
      for (let i = 0; i < params.respect.singleRuns; i++) {
        const [seed] = seedInputs(sim, 1);
        respectSingle.push(await respectOnce(document, `prismaManagementApi=${sim.baseUrl}`, seed.input));
        checkRevoked(sim, [seed]);
        oursSingle.push((await runRotation(env.client, sim, worker.taskQueue, 'interpreter')).ms);
      }
    } finally {
      await sim.close();
    }
    for (let rep = 0; rep < params.respect.oursReps; rep++) {
      const batchSim = await startPrismaSimulator({ port: 0 });
      try {
        const start = nowMs();
        await pool(n, n, async () =>
          finishRotation('interpreter', await startRotation(env.client, batchSim, worker.taskQueue, 'interpreter')),
        );
        ours.push((nowMs() - start) / 1000);
      } finally {
        await batchSim.close();
      }
    }
  } finally {
    await worker.stop();
  }
  // Respect runs while no worker of ours is busy: it gets the machine to itself.
  const sequential = [await respectBatch(env.workDir, n, 1)];
  const twoAtATime = [await respectBatch(env.workDir, n, 2)];

  const result = {
    singleRunMs: { respect: summarize(respectSingle), ours: summarize(oursSingle) },
    rotations: n,
    batchSeconds: {
      respectSequential: summarize(sequential),
      respectTwoAtATime: summarize(twoAtATime),
      oursConcurrent: summarize(ours),
    },
  };
  const b = result.batchSeconds;
  return {
    ...result,
    tables: [
      {
        title: `2a. Redocly Respect vs ours (corrected Prisma rotation)`,
        columns: ['measurement', 'Respect', 'ours (interpreter)', 'Respect / ours'],
        rows: [
          [
            'one run, wall time (ms)',
            fmt(result.singleRunMs.respect, 0),
            fmt(result.singleRunMs.ours, 0),
            times(ratio(result.singleRunMs.respect, result.singleRunMs.ours)),
          ],
          [
            `${n} rotations, Respect sequential (s)`,
            fmt(b.respectSequential),
            fmt(b.oursConcurrent),
            times(ratio(b.respectSequential, b.oursConcurrent)),
          ],
          [
            `${n} rotations, Respect two at a time (xargs -P2) (s)`,
            fmt(b.respectTwoAtATime),
            fmt(b.oursConcurrent),
            times(ratio(b.respectTwoAtATime, b.oursConcurrent)),
          ],
        ],
        notes: [
          `Respect: \`redocly respect\` (one Node process per rotation, as a script would run it) with \`--severity ${'SCHEMA_CHECK=off,STATUS_CODE_CHECK=off,CONTENT_TYPE_CHECK=off'}\`; success criteria on. Ours: ${n} runs started at once on one warm worker (start to last result), each with its own seeded connection and lock. Respect's wall time includes starting Node; ours is start-to-result against a running worker.`,
        ],
      },
    ],
  };
}
