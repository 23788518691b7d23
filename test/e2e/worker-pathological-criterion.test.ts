// No document may take a worker down. A step whose JSONPath criterion calls search() with a pattern
// that backtracks polynomially (twelve `a*` before a `b` that never comes) is evaluated on a real
// response by a real worker process; a second run on the same worker must still complete. On a
// backtracking regex engine the first evaluation holds the worker's main thread for hours, so the
// second run's step is never picked up and this test runs into its timeout.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { progressQuery } from '../../src/workflows/contract.js';
import { requestsWith, startRun } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-processes.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENT = 'test/fixtures/interpreter/pathological-criterion.arazzo.yaml';

describe('worker: a pathological criterion does not stall the worker', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  const workers: ChildProcess[] = [];
  const handles: WorkflowHandle[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.exitCode === null) w.kill('SIGKILL');
    // A run left behind by a failing test would wait for a worker forever.
    for (const h of handles.splice(0)) await h.terminate('test over').catch(() => {});
  });
  afterAll(async () => env?.close());

  /** The worker as its own process (the real worker entry point), so a stalled one cannot stall the test. */
  async function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
    const child = await spawnWorkerProcess(env, taskQueue, { ARAZZO_DOCUMENT_ROOT: repoRoot });
    workers.push(child);
    return child;
  }

  it('a second run on the same worker completes while the first evaluates the criterion', {
    timeout: 150_000,
  }, async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed({ databaseName: 'a'.repeat(40) });
    const taskQueue = env.uniqueTaskQueue('pathological');
    await startWorkerProcess(taskQueue);
    const inputs = { apiToken: seeded.serviceToken, databaseId: seeded.databaseId };
    const servers = { prismaManagementApi: prisma.baseUrl };

    const first = await startRun(
      env,
      taskQueue,
      { document: DOCUMENT, workflowId: 'pathological-name-check', inputs, servers, stepTimeout: '20s' },
      `${taskQueue}-pathological`,
    );
    handles.push(first);
    // The response has been served: from here on the worker evaluates the criterion.
    while (requestsWith(prisma, 'GET').length === 0) await new Promise((r) => setTimeout(r, 50));

    const second = await startRun(
      env,
      taskQueue,
      { document: DOCUMENT, workflowId: 'plain-read', inputs, servers },
      `${taskQueue}-plain`,
    );
    handles.push(second);
    const plain = await second.result();
    expect(plain.status).toBe('completed');
    expect(plain.outputs).toEqual({ status: 'ready' });

    // The first run ends on its own: the criterion is false (no `b` in the name), so the step fails.
    const error = await first.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause?.message).toMatch(
      /step 'readDatabase' failed: .*search\(@\.name, 'a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*b'\)\]: selected nothing/,
    );
    const progress = await first.query(progressQuery);
    expect(progress.state).toBe('failed');
    expect(progress.steps.find((s) => s.stepId === 'readDatabase')).toMatchObject({ status: 'failed', attempts: 1 });
    // One request per run: the criterion's result is an answer, not a failure that retries the GET.
    expect(requestsWith(prisma, 'GET')).toHaveLength(2);
  });
});
