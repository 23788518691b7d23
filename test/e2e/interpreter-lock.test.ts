// One run per credential, enforced by Temporal: two starts for the same credential at once, one
// through the Temporal client (as our CLI does) and one through `temporal workflow start`. With
// lock.onBusy "fail" the second fails at once; by default it waits and runs after the first.
import { spawnSync } from 'node:child_process';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import type { ArazzoRunInput, RunProgress } from '../../src/workflows/types.js';
import { PRISMA_DOC, requestsWith, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

describe('interpreter: one run per credential', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  function startWithTemporalCli(taskQueue: string, workflowId: string, input: ArazzoRunInput) {
    const res = spawnSync(
      ensureTemporalCli(),
      [
        'workflow',
        'start',
        '--address',
        env.address,
        '--namespace',
        env.namespace,
        '--type',
        'arazzoRun',
        '--task-queue',
        taskQueue,
        '--workflow-id',
        workflowId,
        '--input',
        JSON.stringify(input),
      ],
      { encoding: 'utf8' },
    );
    expect(res.status, res.stderr).toBe(0);
    return env.client.workflow.getHandle(workflowId);
  }

  async function setUp() {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('lock');
    const worker = await startWorker(env, taskQueue);
    const input = (name: string, onBusy: 'wait' | 'fail'): ArazzoRunInput => ({
      document: PRISMA_DOC,
      inputs: {
        apiToken: seeded.serviceToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName: name,
      },
      servers: { prismaManagementApi: prisma.baseUrl },
      lock: { onBusy, pollInterval: '1s' },
      stepTimeout: '5s',
    });
    return { prisma, seeded, taskQueue, worker, input };
  }

  it('fails the second run at once when onBusy is "fail", without a single request', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const first = await startRun(env, taskQueue, input('rotation-first', 'fail'), `${taskQueue}-first`);
      await waitForState(first, 'awaiting-approval');
      const requestsBefore = prisma.audit.entries.length;
      const second = startWithTemporalCli(taskQueue, `${taskQueue}-second`, input('rotation-second', 'fail'));
      const error = await second.result().catch((e) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect(error.cause.message).toBe(
        `another run holds the lock "prisma:${seeded.databaseId}:${seeded.connectionId}" (workflow arazzo-lock:prisma:${seeded.databaseId}:${seeded.connectionId}); started with lock.onBusy "fail"`,
      );
      expect(prisma.audit.entries.length).toBe(requestsBefore);
      await first.cancel();
    });
  });

  it('makes the second run wait until the first has finished (default)', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const first = await startRun(env, taskQueue, input('rotation-first', 'wait'), `${taskQueue}-first`);
      const waiting = await waitForState(first, 'awaiting-approval');
      const second = startWithTemporalCli(taskQueue, `${taskQueue}-second`, input('rotation-second', 'wait'));
      // The second run holds nothing and sends nothing while the first is open.
      await new Promise((r) => setTimeout(r, 3000));
      const secondProgress = await second.query<RunProgress>('progress');
      expect(secondProgress.steps.every((s) => s.status === 'pending')).toBe(true);
      expect(requestsWith(prisma, 'POST')).toHaveLength(1);
      await first.signal('approve', {
        stepId: 'revokeOldConnection',
        approvalId: waiting.pendingApproval!.approvalId,
        by: 'alice',
      });
      expect((await first.result()).status).toBe('completed');
      // Now the second run gets the lock and finds the old connection gone: it stops at its check.
      const error = await second.result().catch((e) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect(error.cause.message).toMatch(
        /^step 'checkOldConnection' failed: GET http:\/\/127\.0\.0\.1:\d+\/v1\/connections\/\S+ answered 404; \$statusCode == 200: found 404, expected 200$/,
      );
      expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    });
    // Each run's lock ended with its holder, by the server (the worker has stopped by now).
    expect(await lockStatuses(lockKey(seeded), 2)).toEqual(['TERMINATED', 'TERMINATED']);
  });

  it('a run started right after the previous one finished takes the lock, even with onBusy "fail"', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const noApproval = { approval: { mode: 'none' as const } };
      const first = await startRun(env, taskQueue, { ...input('first', 'fail'), ...noApproval }, `${taskQueue}-1`);
      expect((await first.result()).status).toBe('completed');
      const second = await startRun(env, taskQueue, { ...input('second', 'fail'), ...noApproval }, `${taskQueue}-2`);
      // It holds the lock and runs: it stops at its own check (the old connection is gone), not at the lock.
      const error = await second.result().catch((e) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect(error.cause.message).toMatch(/^step 'checkOldConnection' failed: .* answered 404/);
    });
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(1);
    expect(await lockStatuses(lockKey(seeded), 2)).toEqual(['TERMINATED', 'TERMINATED']);
  });

  it("a run cannot trade the document's lock for its own: a different lock.key is refused before any request", async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const first = await startRun(env, taskQueue, input('rotation-first', 'wait'), `${taskQueue}-first`);
      await waitForState(first, 'awaiting-approval');
      const requestsBefore = prisma.audit.entries.length;
      // Same connection, its own lock key: before, it took a lock of its own and rotated alongside the first.
      const sneaky = { ...input('rotation-second', 'wait'), lock: { key: `prisma:${seeded.databaseId}:other` } };
      const second = startWithTemporalCli(taskQueue, `${taskQueue}-second`, sneaky);
      const outcome = await Promise.race([
        second.result().catch((e) => e),
        waitForState(second, ['awaiting-approval', 'needs-attention']).then((p) => `ran: ${p.state}`),
      ]);
      expect(outcome).toBeInstanceOf(WorkflowFailedError);
      const failure = (outcome as WorkflowFailedError).cause?.cause as { type?: string; message: string };
      expect(failure.type).toBe('LockKeyOverride');
      expect(failure.message).toBe(
        `lock.key "prisma:${seeded.databaseId}:other" would replace the document's x-lock-key ("prisma:${seeded.databaseId}:${seeded.connectionId}"), so two runs on one resource could run at once; no request was sent\n` +
          'hint: start the run without lock.key, or have the worker allow overrides (ARAZZO_ALLOW_LOCK_KEY_OVERRIDE=1)',
      );
      expect(prisma.audit.entries.length).toBe(requestsBefore);
      expect(requestsWith(prisma, 'POST')).toHaveLength(1);
      await first.cancel();
    });
    expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
  });

  const lockKey = (seeded: { databaseId: string; connectionId: string }) =>
    `prisma:${seeded.databaseId}:${seeded.connectionId}`;

  /** The statuses of the lock's executions once `count` of them are closed (visibility is eventually consistent). */
  async function lockStatuses(key: string, count: number): Promise<string[]> {
    let statuses: string[] = [];
    for (let i = 0; i < 100; i++) {
      statuses = [];
      for await (const w of env.client.workflow.list({ query: `WorkflowId = 'arazzo-lock:${key}'` })) {
        statuses.push(w.status.name);
      }
      if (statuses.length === count && !statuses.includes('RUNNING')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return statuses;
  }
});
