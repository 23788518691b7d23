// A message the worker cannot decrypt must not wedge the run. A run waits for approval; it receives
// an `approve` signal encrypted with a key no worker has, one whose bytes are garbage under a key id
// the worker does have, and an `approve` update encrypted with the unknown key. The run keeps
// answering its progress query, records the two signals as ignored, refuses the update at once, and a
// valid approval afterwards completes it.
import { randomBytes } from 'node:crypto';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDataConverter } from '../../src/codec/data-converter.js';
import { newKey, parseKeyList } from '../../src/codec/keys.js';
import { approveSignal, approveUpdate, progressQuery } from '../../src/workflows/contract.js';
import type { ArazzoRunResult, RunProgress } from '../../src/workflows/types.js';
import { prismaRotationInput, startRun, startWorker, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv, workerLogLines } from '../support/temporal.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Sends `binary/encrypted` payloads whose bytes decrypt under no key (random IV, body and tag). */
const garbageCodec = (keyId: string): PayloadCodec => ({
  async encode(payloads: Payload[]) {
    return payloads.map(() => ({
      metadata: { encoding: utf8('binary/encrypted'), 'encryption-key-id': utf8(keyId) },
      data: randomBytes(80),
    }));
  },
  async decode(payloads: Payload[]) {
    return payloads;
  },
});

/** Resolves with the query's answer, or rejects after `ms`. */
async function queryWithin(handle: { query: (q: typeof progressQuery) => Promise<RunProgress> }, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      handle.query(progressQuery),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the progress query did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('codec: a message the worker cannot decode', () => {
  let env: TemporalTestEnv;
  let worker: Worker;
  let running: Promise<void>;
  const sims = useSimulators();

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.close();
  });

  it('is ignored and recorded (signal) or refused (update); the run still answers and completes', async () => {
    const taskQueue = env.uniqueTaskQueue('undecodable');
    worker = await startWorker(env, taskQueue);
    running = worker.run();
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const handle = await startRun(env, taskQueue, { ...prismaRotationInput(prisma, seeded, taskQueue) });
    const waiting = await waitForState(handle, 'awaiting-approval');
    const stepId = waiting.pendingApproval!.stepId;
    const approval = { stepId, approvalId: waiting.pendingApproval!.approvalId, by: 'mallory' };

    // A client whose key no worker has (e.g. a key promoted elsewhere), and one sending garbage.
    const strangerKey = newKey('stranger-key');
    const stranger = new Client({
      connection: env.connection,
      namespace: env.namespace,
      dataConverter: createDataConverter([strangerKey]),
    });
    const garbage = new Client({
      connection: env.connection,
      namespace: env.namespace,
      dataConverter: { payloadCodecs: [garbageCodec('e2e-a')] },
    });
    await stranger.workflow.getHandle(handle.workflowId).signal(approveSignal, approval);
    await garbage.workflow.getHandle(handle.workflowId).signal(approveSignal, approval);

    // The run is not wedged: it answers its query and has recorded both signals as ignored.
    const deadline = Date.now() + 30_000;
    let progress = await queryWithin(handle, 15_000);
    while (progress.ignored.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      progress = await queryWithin(handle, 15_000);
    }
    expect(progress.state).toBe('awaiting-approval');
    expect(progress.approvals).toEqual([]);
    expect(progress.ignored.map((m) => m.name)).toEqual(['approve', 'approve']);
    // Recorded with why, never as if it were a malformed decision.
    for (const m of progress.ignored) expect(m.reason).toMatch(/^undecodable approve: /);
    expect(progress.ignored[0].reason).toMatch(/unknown codec key id/);

    // An update the worker cannot decode is refused at once (not written to history). This client
    // encrypts with the stranger key but can read the worker's answer (it also has the run's key).
    const promotedElsewhere = new Client({
      connection: env.connection,
      namespace: env.namespace,
      dataConverter: createDataConverter([...parseKeyList(inject('codecKeys')), strangerKey]),
    });
    const refused = await promotedElsewhere.workflow
      .getHandle(handle.workflowId)
      .executeUpdate(approveUpdate, { args: [approval] })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((refused as WorkflowUpdateFailedError).cause as Error).message).toMatch(/binary\/undecodable/);
    const after = await queryWithin(handle, 15_000);
    expect(after.ignored).toHaveLength(2);
    expect(after.state).toBe('awaiting-approval');

    // The worker said what happened, without the payload.
    const logged = workerLogLines.join('\n');
    expect(logged).toMatch(/undecodable/i);
    expect(logged).toContain('unknown codec key id "stranger-key"');

    // A valid approval afterwards completes the run.
    await handle.signal(approveSignal, { ...approval, by: 'alice' });
    const result = (await handle.result()) as ArazzoRunResult;
    expect(result.status).toBe('completed');
    expect(result.approvals.map((a) => [a.decision, a.by])).toEqual([['approved', 'alice']]);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
  });
});
