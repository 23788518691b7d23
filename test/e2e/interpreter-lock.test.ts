// One run per credential, enforced by Temporal: two starts for the same credential at once, one
// through the Temporal client (as our CLI does) and one through `temporal workflow start`. With
// lock.onBusy "fail" the second fails at once; by default it waits and runs after the first.
import { spawnSync } from 'node:child_process';
import { type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import type proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import type { AuditEntry } from '../../src/simulators/audit-log.js';
import type { ArazzoRunInput, RunProgress } from '../../src/workflows/types.js';
import { createActivities, type RunStepInput } from '../../src/activities/index.js';
import { stepsOf } from '../../src/cli/commands/history.js';
import {
  PRISMA_DOC,
  prismaRotationInput,
  requestsWith,
  startRun,
  startWorker,
  testPolicy,
  waitForState,
} from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';

/** The environment variable a run started through the CLI names for its token (the worker runs in this process). */
const LOCK_TEST_TOKEN_ENV = 'ARAZZO_E2E_LOCK_TEST_TOKEN';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

describe('interpreter: one run per credential', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  /**
   * `temporal workflow start` as a user runs it: the CLI has no codec here, so what it sends is stored as
   * it is. The token therefore goes as a reference, as the README tells users to start runs; given plainly
   * it would sit readable in the suite's database (the secrets test found these three there).
   */
  function startWithTemporalCli(taskQueue: string, workflowId: string, input: ArazzoRunInput) {
    process.env[LOCK_TEST_TOKEN_ENV] = String(input.inputs?.apiToken);
    const withReference = {
      ...input,
      inputs: { ...input.inputs, apiToken: { $secret: `env:${LOCK_TEST_TOKEN_ENV}` } },
    };
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
        JSON.stringify(withReference),
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
    const worker = await startWorker(
      env,
      taskQueue,
      testPolicy({ secrets: { envAllow: [LOCK_TEST_TOKEN_ENV], hostBindings: [] } }),
    );
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

  it("schedules a fresh run's first step with its lock's start, and sends it only once the lock is held", async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const run = await startRun(
        env,
        taskQueue,
        { ...input('solo', 'wait'), approval: { mode: 'none' } },
        `${taskQueue}-solo`,
      );
      expect((await run.result()).status).toBe('completed');
      const events = (await run.fetchHistory()).events ?? [];
      const at = (predicate: (e: (typeof events)[number]) => unknown) => events.findIndex(predicate);
      const lockStarted = at((e) => e.childWorkflowExecutionStartedEventAttributes);
      const firstTaskDone = at((e) => e.workflowTaskCompletedEventAttributes);
      const stepScheduled = at((e) => e.activityTaskScheduledEventAttributes?.activityId === 'confirmDatabase');
      const lockInitiated = at((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
      // Both are commands of the run's first workflow task, before the lock's start is recorded.
      expect(firstTaskDone).toBeGreaterThan(0);
      expect(lockInitiated).toBeGreaterThan(firstTaskDone);
      expect(stepScheduled).toBeGreaterThan(lockInitiated);
      expect(stepScheduled).toBeLessThan(lockStarted);
      // The request was made while the lock ran: after its start.
      const lock = await env.client.workflow.getHandle(`arazzo-lock:${lockKey(seeded)}`).describe();
      const firstRequest = prisma.audit.entries.find((e) => e.source === 'http')!;
      expect(Date.parse(firstRequest.at)).toBeGreaterThanOrEqual(lock.startTime.getTime());
      expect(lock.parentExecution?.runId).toBe(run.firstExecutionRunId);
    });
  });

  it('a second run scheduled with its lock sends nothing: its first step fails LockNotHeld and runs again once the lock is its own', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const first = await startRun(env, taskQueue, input('rotation-first', 'wait'), `${taskQueue}-first`);
      const waiting = await waitForState(first, 'awaiting-approval');
      const requestsBefore = prisma.audit.entries.length;
      const second = await startRun(env, taskQueue, input('rotation-second', 'wait'), `${taskQueue}-second`);
      const refused = await waitForEvent(
        second,
        (e) =>
          e.activityTaskFailedEventAttributes?.failure?.cause?.applicationFailureInfo?.type ??
          e.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type,
      );
      expect(refused).toBe('LockNotHeld');
      // Nothing was sent, and the step is shown waiting, not started.
      expect(prisma.audit.entries.length).toBe(requestsBefore);
      const progress = await second.query<RunProgress>('progress');
      expect(progress.steps.map((s) => [s.status, s.attempts])).toEqual(progress.steps.map(() => ['pending', 0]));
      await approveFirstThenSecondFindsConnectionGone(first, waiting, second, prisma, seeded);
      // Its step ran again under its own lock: scheduled after the lock's start, sent after the first run closed.
      const events = (await second.fetchHistory()).events ?? [];
      const lockStarted = events.findIndex((e) => e.childWorkflowExecutionStartedEventAttributes);
      const again = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityId === 'confirmDatabase#2');
      expect(lockStarted).toBeGreaterThan(0);
      expect(again).toBeGreaterThan(lockStarted);
      const steps = (await second.query<RunProgress>('progress')).steps;
      expect(steps.slice(0, 2).map((s) => [s.stepId, s.status, s.attempts])).toEqual([
        ['confirmDatabase', 'succeeded', 1],
        ['checkOldConnection', 'failed', 1],
      ]);
      // `arazzo history` says the first attempt waited for the lock, not that the step failed.
      const recorded = await stepsOf(env.client, `${taskQueue}-second`);
      expect(
        recorded.slice(0, 3).map((s) => [s.stepId, s.status, s.request?.replace(/127\.0\.0\.1:\d+/, 'HOST')]),
      ).toEqual([
        ['confirmDatabase', 'lock-wait', 'nothing sent: the lock was held by another run'],
        ['confirmDatabase#2', 'succeeded', `GET http://HOST/v1/databases/${seeded.databaseId}`],
        ['checkOldConnection', 'failed', `GET http://HOST/v1/connections/${seeded.connectionId}`],
      ]);
    });
    expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(1);
    expect(await lockStatuses(lockKey(seeded), 2)).toEqual(['TERMINATED', 'TERMINATED']);
  });

  it('two fresh runs started at once: one rotates, the other sends its first request only after the first has closed', async () => {
    const { prisma, seeded, taskQueue, worker, input } = await setUp();
    await worker.runUntil(async () => {
      const noApproval = { approval: { mode: 'none' as const } };
      const runs = await Promise.all(
        ['rotation-a', 'rotation-b'].map((name) =>
          startRun(env, taskQueue, { ...input(name, 'wait'), ...noApproval }, `${taskQueue}-${name}`),
        ),
      );
      const outcomes = await Promise.all(
        runs.map((r) =>
          r.result().then(
            (res) => res.status,
            (e: Error) => e,
          ),
        ),
      );
      const winner = outcomes.findIndex((o) => o === 'completed');
      expect(winner).toBeGreaterThanOrEqual(0);
      const loser = outcomes[1 - winner];
      expect(loser).toBeInstanceOf(WorkflowFailedError);
      expect((loser as WorkflowFailedError).cause?.message).toMatch(
        /^step 'checkOldConnection' failed: .* answered 404/,
      );
      const winnerClosed = (await runs[winner].describe()).closeTime!.getTime();
      // The loser's first request (the database GET) came after the winner had closed; its check found the
      // old connection gone.
      const databaseGets = getsOf(prisma, `/databases/${seeded.databaseId}`);
      expect(databaseGets).toHaveLength(2);
      expect(Date.parse(databaseGets[1].at)).toBeGreaterThanOrEqual(winnerClosed);
      expect(getsOf(prisma, `/connections/${seeded.connectionId}`).map((e) => e.response?.status)).toEqual([200, 404]);
    });
    expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(1);
    expect(await lockStatuses(lockKey(seeded), 2)).toEqual(['TERMINATED', 'TERMINATED']);
  });

  it('a worker that does not know `underLock` (an older version, mid-upgrade) sends nothing before the lock is held', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('lock-older');
    const input = (newName: string): ArazzoRunInput =>
      prismaRotationInput(prisma, seeded, taskQueue, {
        inputs: { ...prismaRotationInput(prisma, seeded, taskQueue).inputs, newName },
        lock: { onBusy: 'wait', pollInterval: '1s' },
        stepTimeout: '5s',
      });
    // What an older worker does with the first step's input: it ignores the field it does not know.
    const current = createActivities(testPolicy());
    const older = await env.createWorker({
      taskQueue,
      activities: { ...current, runStep: (step: RunStepInput) => current.runStep({ ...step, underLock: undefined }) },
    });
    await older.runUntil(async () => {
      const first = await startRun(env, taskQueue, input('rotation-first'), `${taskQueue}-first`);
      const waiting = await waitForState(first, 'awaiting-approval');
      const requestsBefore = prisma.audit.entries.length;
      const second = await startRun(env, taskQueue, input('rotation-second'), `${taskQueue}-second`);
      const refused = await waitForEvent(second, (e) => e.activityTaskFailedEventAttributes?.failure);
      expect(refused.applicationFailureInfo?.type).toBe('RequestBuildError');
      expect(prisma.audit.entries.length).toBe(requestsBefore);
      await approveFirstThenSecondFindsConnectionGone(first, waiting, second, prisma, seeded);
    });
    expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(1);
  });

  /**
   * The first run, parked at its approval, is approved and completes; the second, which waited for the lock,
   * then finds the old connection gone. Its first request (the database GET) came once the first had closed.
   */
  async function approveFirstThenSecondFindsConnectionGone(
    first: WorkflowHandle,
    waiting: RunProgress,
    second: WorkflowHandle,
    prisma: { audit: { entries: ReadonlyArray<AuditEntry> } },
    seeded: { databaseId: string },
  ) {
    await first.signal('approve', {
      stepId: 'revokeOldConnection',
      approvalId: waiting.pendingApproval!.approvalId,
      by: 'alice',
    });
    expect((await first.result()).status).toBe('completed');
    const firstClosed = (await first.describe()).closeTime!.getTime();
    const error = await second.result().catch((e) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(error.cause.message).toMatch(/^step 'checkOldConnection' failed: .* answered 404/);
    const databaseGets = getsOf(prisma, `/databases/${seeded.databaseId}`);
    expect(databaseGets).toHaveLength(2);
    expect(Date.parse(databaseGets[1].at)).toBeGreaterThanOrEqual(firstClosed);
  }

  /** The simulator's GET requests to a path ending in `suffix`, in the order they were answered. */
  function getsOf(sim: { audit: { entries: ReadonlyArray<AuditEntry> } }, suffix: string): AuditEntry[] {
    return sim.audit.entries.filter(
      (e) => e.source === 'http' && e.request?.method === 'GET' && e.request.path.endsWith(suffix),
    );
  }

  /** Polls the run's history until `pick` returns something for one of its events. */
  async function waitForEvent<T>(handle: WorkflowHandle, pick: (e: HistoryEvent) => T | null | undefined): Promise<T> {
    for (let i = 0; i < 200; i++) {
      for (const e of (await handle.fetchHistory()).events ?? []) {
        const found = pick(e);
        if (found !== undefined && found !== null) return found;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no such event in the history after 20 s');
  }

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
