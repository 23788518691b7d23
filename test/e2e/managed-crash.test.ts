// A managed credential loses nothing when its worker process is killed (SIGKILL, as a crash): once while
// it sleeps until its next rotation is due (the rotation starts on the next worker, late but once), and
// once while that rotation waits for approval (the approval given to the next worker completes it). The
// simulator's audit log: one create, the old connection revoked exactly once, never zero valid connections.
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { managedQuery } from '../../src/workflows/managed-contract.js';
import { approveRotation, startManaged, waitForManaged } from '../support/managed.js';
import { managedPrismaRun, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-processes.js';

describe('managed credential: crashes of the worker process', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(() => {
    for (const w of workers.splice(0)) if (w.exitCode === null) w.kill('SIGKILL');
  });
  afterAll(async () => env?.close());

  async function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
    const child = await spawnWorkerProcess(env, taskQueue, {
      ARAZZO_SECRET_ENV_ALLOW: 'ARAZZO_E2E_MANAGED_CRASH',
    });
    workers.push(child);
    return child;
  }

  async function kill(worker: ChildProcess) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
  }

  it('killed while it sleeps, and again while its rotation awaits approval', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    // Sets the token's variable, which the worker processes inherit: before the first one starts.
    const run = managedPrismaRun(prisma, seeded, 'ARAZZO_E2E_MANAGED_CRASH', 'crash');
    const taskQueue = env.uniqueTaskQueue('managed-crash');
    const first = await startWorkerProcess(taskQueue);
    const managed = await startManaged(env, taskQueue, `prisma:${seeded.databaseId}:${seeded.connectionId}`, {
      run: { ...run, stepTimeout: '3s' },
      every: '1h',
      firstDueAt: new Date(Date.now() + 6000).toISOString(),
    });
    const sleeping = await waitForManaged(managed, (v) => v.state === 'scheduled');
    expect(sleeping.started).toBe(0);

    // 1. Killed while it sleeps; the due time passes with no worker at all.
    await kill(first);
    await new Promise((r) => setTimeout(r, 7000));
    expect(prisma.audit.createdCount('connection')).toBe(0);
    const second = await startWorkerProcess(taskQueue);

    // 2. The rotation starts on the new worker; killed again while it waits for approval.
    const rotating = await waitForManaged(managed, (v) => v.current?.number === 1, 90_000);
    await waitForState(env.client.workflow.getHandle(rotating.current!.workflowId), 'awaiting-approval', 90_000);
    await kill(second);
    await startWorkerProcess(taskQueue);

    const after = await approveRotation(env, managed, 1, 'alice');
    expect(after.history.map((h) => [h.number, h.trigger, h.status, h.approvedBy])).toEqual([
      [1, 'schedule', 'completed', ['alice']],
    ]);
    expect(after.state).toBe('scheduled');
    expect(Date.parse(after.nextDueAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const newId = after.history[0].carried!.oldConnectionId;
    expect(after.inputs.oldConnectionId).toBe(newId);
    expect((await managed.query(managedQuery)).events).toEqual([]);

    expect(prisma.audit.createdCount('connection')).toBe(1);
    expect(prisma.audit.revocations(seeded.connectionId)).toHaveLength(1);
    expect(prisma.audit.minValidCredentialsAtAnyInstant({ kind: 'connection' })).toBeGreaterThanOrEqual(1);
    expect(prisma.state.connections(seeded.databaseId).map((c) => c.id)).toEqual([newId]);
    await managed.executeUpdate('retire', { args: [{ by: 'test' }] });
    expect((await managed.result()).state).toBe('retired');
  });
});
