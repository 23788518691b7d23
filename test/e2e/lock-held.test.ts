// What a first step scheduled with its lock checks before it sends anything (src/activities/lock-held.ts),
// asked of a real dev server about a real lock: held by this run, held by another, not started, closed.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmLockHeld } from '../../src/activities/lock-held.js';
import { lockWorkflowId } from '../../src/workflows/lock.js';
import { prismaRotationInput, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('confirmLockHeld: the lock runs with this run as its parent, or nothing is sent', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  /** The failure `confirmLockHeld` ended with (or "confirmed"). */
  async function outcome(lockId: string, runId: string, budgetMs?: number): Promise<string> {
    return confirmLockHeld(env.client, lockId, runId, budgetMs ? { budgetMs } : {}).then(
      () => 'confirmed',
      (err: unknown) => {
        expect(err).toBeInstanceOf(ApplicationFailure);
        const failure = err as ApplicationFailure;
        expect(failure.type).toBe('LockNotHeld');
        expect(failure.nonRetryable).toBe(true);
        return failure.message;
      },
    );
  }

  it('confirms its own lock, refuses one held by another run at once, and one that never starts after the budget', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('lock-held');
    const worker = await startWorker(env, taskQueue);
    const lockId = lockWorkflowId(`prisma:${seeded.databaseId}:${seeded.connectionId}`);
    await worker.runUntil(async () => {
      const holder = await startRun(
        env,
        taskQueue,
        prismaRotationInput(prisma, seeded, taskQueue),
        `${taskQueue}-holder`,
      );
      await waitForState(holder, 'awaiting-approval');

      expect(await outcome(lockId, holder.firstExecutionRunId)).toBe('confirmed');

      const started = Date.now();
      expect(await outcome(lockId, 'another-run')).toBe(
        `the lock ${lockId} is not held by this run yet (it is held by workflow ${taskQueue}-holder); nothing was sent, the run waits for its lock and sends this step then`,
      );
      // Held by another run is final for now: no waiting out the budget.
      expect(Date.now() - started).toBeLessThan(2_000);

      expect(await outcome('arazzo-lock:never-started', holder.firstExecutionRunId, 300)).toBe(
        'the lock arazzo-lock:never-started is not held by this run yet (not started within 300 ms); nothing was sent, the run waits for its lock and sends this step then',
      );

      await holder.cancel();
      await holder.result().catch(() => undefined);
      // The holder closed, so the server ended its lock: a closed lock is no one's.
      for (
        let i = 0;
        i < 50 && (await env.client.workflow.getHandle(lockId).describe()).status.name === 'RUNNING';
        i++
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await outcome(lockId, holder.firstExecutionRunId, 300)).toBe(
        `the lock ${lockId} is not held by this run yet (only a closed lock was found within 300 ms); nothing was sent, the run waits for its lock and sends this step then`,
      );
    });
  });
});
