// Signed approvals end to end: the real interpreter on the dev server, a real worker whose approval
// policy wants two approvers of group "security" for the Prisma revocation, and the Prisma simulator
// over loopback. Every forgery class is refused (the update with its reason, the signal recorded under
// `ignored`), the simulator sees no DELETE until the quorum is reached, then exactly one; the histories
// replay; a run may not switch its gates off; an unsigned start is "requester unknown".
import { bytesToHex } from '@noble/hashes/utils.js';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApprovalPolicy } from '../../src/arazzo/approvals/policy.js';
import {
  type DecisionStatement,
  keyFingerprint,
  publicKeyOf,
  requestDigest,
  signDecision,
  signStart,
} from '../../src/arazzo/approvals/signature.js';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { LoadPlanResult } from '../../src/activities/index.js';
import { getDataConverter } from '../../src/codec/data-converter.js';
import { createActivities } from '../../src/activities/index.js';
import { approveSignal, approveUpdate, rejectUpdate } from '../../src/workflows/contract.js';
import type { ArazzoRunInput, PendingApproval, RunProgress } from '../../src/workflows/types.js';
import type { PrismaSimulator } from '../../src/simulators/index.js';
import { useSimulators } from '../support/simulators.js';
import {
  PRISMA_DOC,
  prismaRotationInput,
  requestsWith,
  startRun,
  testPolicy,
  waitForState,
} from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const secret = (byte: number) => bytesToHex(new Uint8Array(32).fill(byte));
const KEYS = { alice: secret(11), bob: secret(12), dave: secret(13), carol: secret(14), mallory: secret(15) };
const POLICY = parseApprovalPolicy(
  JSON.stringify({
    approvers: [
      { name: 'alice', publicKey: publicKeyOf(KEYS.alice), groups: ['security'] },
      { name: 'bob', publicKey: publicKeyOf(KEYS.bob), groups: ['security'] },
      { name: 'dave', publicKey: publicKeyOf(KEYS.dave), groups: ['security'] },
      { name: 'carol', publicKey: publicKeyOf(KEYS.carol), groups: ['dev'] },
    ],
    rules: [{ document: PRISMA_DOC, group: 'security', quorum: 2 }],
  }),
  'test-policy.json',
);
const STEP = 'revokeOldConnection';

/** Why an update was refused: the validator's message (the SDK wraps it in WorkflowUpdateFailedError). */
async function refusal(sent: Promise<unknown>): Promise<string> {
  try {
    await sent;
  } catch (err) {
    return (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
  }
  return 'accepted';
}

describe('signed approvals under a policy', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  const startWorker = (taskQueue: string) =>
    env.createWorker({ taskQueue, activities: createActivities(testPolicy({ approvals: POLICY })) });

  /** A run started by `requester` (signed), or unsigned. */
  async function start(
    taskQueue: string,
    sim: PrismaSimulator,
    requester?: keyof typeof KEYS,
    extra: Partial<ArazzoRunInput> = {},
  ) {
    const seeded = sim.seed();
    const workflowId = `${taskQueue}-run`;
    const input = prismaRotationInput(sim, seeded, taskQueue, {
      approval: { timeout: '5m' },
      stepTimeout: '5s',
      ...extra,
    });
    if (requester) {
      const statement = {
        namespace: env.namespace,
        workflowId,
        document: PRISMA_DOC,
        arazzoWorkflowId: '',
        signedAt: new Date().toISOString(),
      };
      input.requester = signStart(statement, KEYS[requester]);
    }
    return { handle: await startRun(env, taskQueue, input, workflowId), seeded };
  }

  function statementFor(
    handle: WorkflowHandle,
    pending: PendingApproval,
    over: Partial<DecisionStatement> = {},
  ): DecisionStatement {
    return {
      namespace: env.namespace,
      workflowId: handle.workflowId,
      runId: pending.runId!,
      stepId: pending.stepId,
      approvalId: pending.approvalId,
      decision: 'approve',
      requestDigest: requestDigest(pending.method, pending.url),
      signedAt: new Date().toISOString(),
      ...over,
    };
  }

  /** Every forgery class, each with the reason the workflow must give. */
  function forgeries(
    handle: WorkflowHandle,
    pending: PendingApproval,
    fromAnotherRun?: ReturnType<typeof signDecision>,
  ) {
    const s = (over: Partial<DecisionStatement> = {}) => statementFor(handle, pending, over);
    const list: Array<[string, ReturnType<typeof signDecision> | undefined, RegExp]> = [
      ['unsigned', undefined, /requires a signed approve/],
      ['wrong key', { ...signDecision(s(), KEYS.mallory), publicKey: publicKeyOf(KEYS.bob) }, /bad signature/],
      ['unknown key', signDecision(s(), KEYS.mallory), /unknown key/],
      ['another step', signDecision(s({ stepId: 'createConnection' }), KEYS.bob), /signed for step createConnection/],
      ['a previous approval id', signDecision(s({ approvalId: 'a-previous-wait' }), KEYS.bob), /not the current one/],
      ['requester self-approval', signDecision(s(), KEYS.alice), /alice started this run and may not approve it/],
      ['wrong group', signDecision(s(), KEYS.carol), /carol is not in group "security"/],
      [
        'tampered request digest',
        signDecision(s({ requestDigest: requestDigest('DELETE', `${pending.url}-other`) }), KEYS.bob),
        /different request/,
      ],
    ];
    // A signature captured on another run: the first test's (when given), else one made for another run id.
    const otherRun = fromAnotherRun ?? signDecision(s({ runId: 'another-run-id' }), KEYS.bob);
    list.push(['replayed from another run', otherRun, /signed for another run/]);
    return list;
  }

  const deletes = (sim: Parameters<typeof requestsWith>[0], connectionId: string) =>
    requestsWith(sim, 'DELETE').filter((r) => r.path.endsWith(`/connections/${connectionId}`));

  let capturedFromFirstRun: ReturnType<typeof signDecision> | undefined;
  const histories: Array<{ workflowId: string; runId: string }> = [];

  it('update path: every forgery is refused with its reason; two distinct approvers run the DELETE once', async () => {
    const prisma = await sims.prisma();
    const taskQueue = env.uniqueTaskQueue('signed-update');
    const worker = await startWorker(taskQueue);
    const outcome = await worker.runUntil(async () => {
      const { handle, seeded } = await start(taskQueue, prisma, 'alice');
      const waiting = await waitForState(handle, 'awaiting-approval');
      const pending = waiting.pendingApproval!;
      expect(pending).toMatchObject({ authenticated: true, required: { group: 'security', quorum: 2 }, approvals: [] });
      expect(waiting.requester).toBe(`alice (${keyFingerprint(publicKeyOf(KEYS.alice))})`);
      for (const [name, signed, reason] of forgeries(handle, pending)) {
        const sent = handle.executeUpdate(approveUpdate, {
          args: [{ stepId: STEP, by: 'bob', ...(signed ? { signed } : {}) }],
        });
        expect(await refusal(sent), name).toMatch(reason);
      }
      expect(deletes(prisma, seeded.connectionId)).toHaveLength(0);
      const bob = signDecision(statementFor(handle, pending), KEYS.bob);
      capturedFromFirstRun = bob;
      const first = await handle.executeUpdate(approveUpdate, { args: [{ stepId: STEP, by: 'bob', signed: bob }] });
      expect(first).toMatch(/approval 1 of 2 .* recorded \(bob\); 1 more needed from group "security"/);
      const twice = handle.executeUpdate(approveUpdate, { args: [{ stepId: STEP, by: 'bob', signed: bob }] });
      expect(await refusal(twice), 'same approver twice').toMatch(/bob already approved/);
      const half = await handle.query('progress');
      expect((half as RunProgress).pendingApproval?.approvals?.map((a) => a.name)).toEqual(['bob']);
      expect(deletes(prisma, seeded.connectionId)).toHaveLength(0);
      const dave = signDecision(statementFor(handle, pending), KEYS.dave);
      await handle.executeUpdate(approveUpdate, { args: [{ stepId: STEP, by: 'dave', signed: dave }] });
      const result = await handle.result();
      histories.push({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
      return { result, seeded };
    });
    expect(outcome.result.status).toBe('completed');
    expect(deletes(prisma, outcome.seeded.connectionId)).toHaveLength(1);
    expect(outcome.result.approvals.map((a) => [a.by, a.decision, a.authenticated, a.group, a.fingerprint])).toEqual([
      ['bob', 'approved', true, 'security', keyFingerprint(publicKeyOf(KEYS.bob))],
      ['dave', 'approved', true, 'security', keyFingerprint(publicKeyOf(KEYS.dave))],
    ]);
  });

  it('signal path: forgeries are recorded under ignored; the quorum survives a worker restart and runs the DELETE once', async () => {
    const prisma = await sims.prisma();
    const taskQueue = env.uniqueTaskQueue('signed-signal');
    const first = await startWorker(taskQueue);
    const { handle, seeded, pending } = await first.runUntil(async () => {
      const { handle, seeded } = await start(taskQueue, prisma, 'alice');
      const waiting = await waitForState(handle, 'awaiting-approval');
      const pending = waiting.pendingApproval!;
      const classes = forgeries(handle, pending, capturedFromFirstRun);
      for (const [, signed] of classes) {
        await handle.signal(approveSignal, { stepId: STEP, by: 'bob', ...(signed ? { signed } : {}) });
      }
      const bob = signDecision(statementFor(handle, pending), KEYS.bob);
      await handle.signal(approveSignal, { stepId: STEP, by: 'bob', signed: bob });
      await handle.signal(approveSignal, { stepId: STEP, by: 'bob', signed: bob });
      let progress: RunProgress;
      do progress = (await handle.query('progress')) as RunProgress;
      while (progress.ignored.length < classes.length + 1);
      const reasons = progress.ignored.map((i) => i.reason);
      for (const [name, , reason] of classes)
        expect(
          reasons.some((r) => reason.test(r)),
          name,
        ).toBe(true);
      expect(reasons.at(-1)).toMatch(/bob already approved/);
      expect(progress.pendingApproval?.approvals?.map((a) => a.name)).toEqual(['bob']);
      return { handle, seeded, pending };
    });
    expect(deletes(prisma, seeded.connectionId)).toHaveLength(0);
    // A new worker takes the waiting run over: it replays the verification of every signal above.
    const second = await startWorker(taskQueue);
    const result = await second.runUntil(async () => {
      await handle.signal(approveSignal, {
        stepId: STEP,
        by: 'dave',
        signed: signDecision(statementFor(handle, pending), KEYS.dave),
      });
      return handle.result();
    });
    histories.push({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
    expect(result.status).toBe('completed');
    expect(result.approvals.map((a) => [a.by, a.via, a.authenticated])).toEqual([
      ['bob', 'signal', true],
      ['dave', 'signal', true],
    ]);
    expect(deletes(prisma, seeded.connectionId)).toHaveLength(1);
  });

  it('the histories of both runs replay against the workflow code (verification is deterministic)', async () => {
    expect(histories).toHaveLength(2);
    const loaded = await Promise.all(
      histories.map(async ({ workflowId, runId }) => ({
        workflowId,
        history: await env.client.workflow.getHandle(workflowId, runId).fetchHistory(),
      })),
    );
    const failures: string[] = [];
    const replay = { workflowBundle: { codePath: env.workflowBundlePath }, dataConverter: getDataConverter() };
    for await (const result of Worker.runReplayHistories(replay, loaded)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('one valid signed rejection ends the wait; nothing is deleted', async () => {
    const prisma = await sims.prisma();
    const taskQueue = env.uniqueTaskQueue('signed-reject');
    const worker = await startWorker(taskQueue);
    const { result, seeded } = await worker.runUntil(async () => {
      const { handle, seeded } = await start(taskQueue, prisma, 'alice');
      const pending = (await waitForState(handle, 'awaiting-approval')).pendingApproval!;
      const unsigned = handle.executeUpdate(rejectUpdate, { args: [{ stepId: STEP, by: 'bob', reason: 'unsigned' }] });
      expect(await refusal(unsigned)).toMatch(/requires a signed reject/);
      const signed = signDecision(statementFor(handle, pending, { decision: 'reject' }), KEYS.bob);
      await handle.executeUpdate(rejectUpdate, {
        args: [{ stepId: STEP, by: 'someone', reason: 'not today', signed }],
      });
      return { result: await handle.result(), seeded };
    });
    expect(result.status).toBe('rejected');
    expect(result.message).toBe('rejected by bob: not today');
    expect(deletes(prisma, seeded.connectionId)).toHaveLength(0);
  });

  it('refuses, before its first request, a run that switches approval off or whose requester is unknown', async () => {
    const prisma = await sims.prisma();
    const taskQueue = env.uniqueTaskQueue('signed-refusals');
    const worker = await startWorker(taskQueue);
    const before = prisma.audit.entries.filter((e) => e.source === 'http').length;
    const failures = await worker.runUntil(async () => {
      const switchedOff = (await start(taskQueue, prisma, 'alice', { approval: { mode: 'none' } })).handle;
      const noneFailure = await switchedOff.result().catch((e) => e);
      const unsigned = await startRun(
        env,
        taskQueue,
        prismaRotationInput(prisma, prisma.seed(), taskQueue),
        `${taskQueue}-unsigned`,
      );
      const unsignedFailure = await unsigned.result().catch((e) => e);
      return [noneFailure, unsignedFailure];
    });
    for (const failure of failures) expect(failure).toBeInstanceOf(WorkflowFailedError);
    const messages = failures.map((f) => {
      const cause = (f as WorkflowFailedError).cause as Error | undefined;
      return `${cause?.message} ${(cause?.cause as Error | undefined)?.message}`;
    });
    expect(messages[0]).toMatch(/approval "none" would switch off the approval gates.*no request was sent/s);
    expect(messages[1]).toMatch(/requester unknown.*arazzo-temporal start --key/s);
    expect(prisma.audit.entries.filter((e) => e.source === 'http').length).toBe(before);
  });

  it('refuses a run that brings its own plan and approval settings (copied from a history), before its first request', async () => {
    expect(histories.length).toBeGreaterThan(0);
    // The sealed plan a legitimate run's load activity recorded: valid seals, but no loadPlan for the forgery.
    const events =
      (await env.client.workflow.getHandle(histories[0].workflowId, histories[0].runId).fetchHistory()).events ?? [];
    // New runs record the load's result in its local activity's marker (older ones: an activity task's result).
    const marker = events.find((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(marker).toBeDefined();
    const loaded = await decodeFromPayloadsAtIndex<LoadPlanResult>(
      env.client.options.loadedDataConverter,
      0,
      marker?.markerRecordedEventAttributes?.details?.result?.payloads,
    );
    expect(loaded.plan).toBeDefined();
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('signed-forged-plan');
    const worker = await startWorker(taskQueue);
    const before = prisma.audit.entries.filter((e) => e.source === 'http').length;
    const failure = await worker.runUntil(async () => {
      const input: ArazzoRunInput = {
        ...prismaRotationInput(prisma, seeded, taskQueue),
        plan: loaded.plan,
        planDigest: loaded.planDigest,
        // The forger's own "policy": no gates.
        approvalSettings: { webhooks: 0, policy: { approvers: [], gates: {} } },
      };
      const handle = await startRun(env, taskQueue, input);
      return handle.result().catch((e) => e as WorkflowFailedError);
    });
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(
      /started with a plan or state of its own, which would skip the worker's approval policy; nothing was sent/,
    );
    expect(prisma.audit.entries.filter((e) => e.source === 'http').length).toBe(before);
  });
});
