// Shared set-up for end-to-end rotation tests: a real worker (this process) with the project's
// activities, the simulators over loopback, and helpers to start runs and wait for states.
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { defaultDocumentRoot, type WorkerPolicy } from '../../src/activities/config.js';
import { createActivities } from '../../src/activities/index.js';
import { progressQuery, WORKFLOW_TYPE } from '../../src/workflows/contract.js';
import type { arazzoRun } from '../../src/workflows/interpreter.js';
import type { ArazzoRunInput, RunProgress, RunState } from '../../src/workflows/types.js';
import { connectTestEnv, type TemporalTestEnv } from './temporal.js';

export const PRISMA_DOC = 'rotations/prisma-rotate-connection.arazzo.yaml';
export const DEEPGRAM_DOC = 'rotations/deepgram-rotate-key.arazzo.yaml';

export function testPolicy(overrides: Partial<WorkerPolicy> = {}): WorkerPolicy {
  return {
    documentRoot: defaultDocumentRoot,
    allowedDocumentHosts: [],
    allowedServerHosts: ['127.0.0.1', 'localhost'],
    ...overrides,
  };
}

export async function startWorker(env: TemporalTestEnv, taskQueue: string, policy = testPolicy()): Promise<Worker> {
  return env.createWorker({ taskQueue, activities: createActivities(policy) });
}

export async function startRun(
  env: TemporalTestEnv,
  taskQueue: string,
  input: ArazzoRunInput,
  workflowId = `${taskQueue}-run`,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof arazzoRun>> {
  return env.client.workflow.start(WORKFLOW_TYPE, { taskQueue, workflowId, args: [input] }) as Promise<
    WorkflowHandleWithFirstExecutionRunId<typeof arazzoRun>
  >;
}

/** Polls the progress query until the run reaches `state` (or fails the test after `timeoutMs`). */
export async function waitForState(
  handle: WorkflowHandle,
  state: RunState | RunState[],
  timeoutMs = 60_000,
): Promise<RunProgress> {
  const wanted = Array.isArray(state) ? state : [state];
  const deadline = Date.now() + timeoutMs;
  let last: RunProgress | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(progressQuery);
      if (wanted.includes(last.state)) return last;
    } catch {
      // not started yet, or no worker right now
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`run ${handle.workflowId} did not reach ${wanted.join('|')}; last state: ${last?.state}`);
}

/** The requests a simulator received with this method (from its audit log). */
export function requestsWith(
  sim: { audit: { entries: ReadonlyArray<{ request?: { method: string; path: string } }> } },
  method: string,
) {
  return sim.audit.entries.filter((e) => e.request?.method === method).map((e) => e.request!);
}

/** The corrected Prisma rotation's input for a seeded simulator database (the token given plainly). */
export function prismaRotationInput(
  sim: { baseUrl: string },
  seeded: { serviceToken: string; databaseId: string; connectionId: string },
  taskQueue: string,
  extra: Partial<ArazzoRunInput> = {},
): ArazzoRunInput {
  return {
    document: PRISMA_DOC,
    inputs: {
      apiToken: seeded.serviceToken,
      databaseId: seeded.databaseId,
      oldConnectionId: seeded.connectionId,
      newName: `rotation-${taskQueue.slice(-8)}`,
    },
    servers: { prismaManagementApi: sim.baseUrl },
    ...extra,
  };
}

/**
 * The Prisma rotation's run for a managed credential, which keeps its inputs for as long as it manages
 * the credential, so the token is a reference: `tokenVariable` is set to the seeded token here (the
 * worker's policy must allow it).
 */
export function managedPrismaRun(
  sim: { baseUrl: string },
  seeded: { serviceToken: string; databaseId: string; connectionId: string },
  tokenVariable: string,
  newName: string,
) {
  process.env[tokenVariable] = seeded.serviceToken;
  return {
    document: PRISMA_DOC,
    inputs: {
      apiToken: { $secret: `env:${tokenVariable}` },
      databaseId: seeded.databaseId,
      oldConnectionId: seeded.connectionId,
      newName,
    },
    servers: { prismaManagementApi: sim.baseUrl },
  };
}

/**
 * For a test file whose runs are started from outside (the CLI as a process): connects, runs one worker
 * on a unique task queue for the whole file, and stops both afterwards. `ready` receives them.
 */
export function useRunningWorker(prefix: string, ready: (env: TemporalTestEnv, taskQueue: string) => void): void {
  let env: TemporalTestEnv | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    env = await connectTestEnv();
    const taskQueue = env.uniqueTaskQueue(prefix);
    worker = await startWorker(env, taskQueue);
    running = worker.run();
    ready(env, taskQueue);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.close();
  });
}
