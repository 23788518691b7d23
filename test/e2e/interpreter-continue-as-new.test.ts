// Continue-as-new must carry the whole run state: a run that continues as new after creating a
// credential (a step with x-compensation) and is then aborted with compensation must still delete
// what it created. Before the run state was one record, `completedSteps` was not carried, and the
// abort left the new connection behind. Real server, real worker, the Prisma simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prismaRotationInput, requestsWith, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: continue-as-new keeps the run state', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  it('aborted with compensation after continuing as new, it deletes the connection it created', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('can-compensate');
    const worker = await startWorker(env, taskQueue);
    // A low threshold: the run continues as new between steps once its history passes it, so the
    // run that waits for approval is not the one that created the connection.
    const input = prismaRotationInput(prisma, seeded, taskQueue, { continueAsNewAfterEvents: 20 });
    const { runs, created, result } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      const waiting = await waitForState(handle, 'awaiting-approval');
      expect(waiting.steps.find((s) => s.stepId === 'createConnection')?.status).toBe('succeeded');
      let count = 0;
      for await (const _ of env.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) count++;
      const created = prisma.audit.entries.filter(
        (e) => e.request?.method === 'POST' && e.outcome === 'responded',
      ).length;
      await handle.executeUpdate('abort', { args: [{ by: 'carol', reason: 'stop the rotation', compensate: true }] });
      return { runs: count, created, result: await handle.result() };
    });
    expect(runs).toBeGreaterThan(1);
    expect(created).toBe(1);
    expect(result.status).toBe('compensated');
    expect(result.steps.find((s) => s.stepId === 'createConnection')?.status).toBe('compensated');
    // The simulator's audit log shows the undo: the new connection deleted, the old one untouched.
    const deletes = requestsWith(prisma, 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].path).not.toContain(seeded.connectionId);
    expect(prisma.audit.revocations(seeded.connectionId)).toHaveLength(0);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
  });
});
