// The interpreter's walk, through its public contract only: the real `arazzoRun` workflow on the shared
// dev server, with STUB activities. `loadPlan` returns a plan the pure engine builds from a small fixture
// document; `runStep` answers from a per-step script and records every call, so each test asserts the
// exact sequence of steps the walk ran (and what the workflow told each call), plus the run's ending and
// its `progress` query. Nothing here reaches into src/workflows beyond its types.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/activity';
import {
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArazzoActivities, RunStepInput, StepResult } from '../../src/activities/index.js';
import { planDigest } from '../../src/activities/plan-store.js';
import { type DocumentSet, loadDocumentSet } from '../../src/arazzo/document/index.js';
import { formatFindings } from '../../src/arazzo/format-finding.js';
import { buildPlan } from '../../src/arazzo/plan/build-plan.js';
import type { Plan } from '../../src/arazzo/plan/types.js';
import { validateDocumentSet } from '../../src/arazzo/validate/index.js';
import type { ArazzoRunInput, ArazzoRunResult, RunProgress, RunState } from '../../src/workflows/types.js';
import { startRun, waitForState } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const DOCUMENT = 'interpreter-walk/walk.arazzo.yaml';
const documentPath = fileURLToPath(new URL(`../fixtures/${DOCUMENT}`, import.meta.url));

// ---------------------------------------------------------------- the plan (pure engine, no activity I/O)

let documentSet: Promise<DocumentSet> | undefined;

/** The plan of one fixture workflow, built the way loadPlan builds it (load, validate, buildPlan). */
async function planOf(workflowId: string): Promise<Plan> {
  documentSet ??= (async () => {
    const set = await loadDocumentSet(documentPath, {
      read: (url) => readFile(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8'),
    });
    const errors = validateDocumentSet(set).filter((f) => f.severity === 'error');
    if (errors.length) throw new Error(`fixture ${DOCUMENT} is not valid:\n${formatFindings(errors)}`);
    return set;
  })();
  return buildPlan(await documentSet, { workflowId });
}

// ---------------------------------------------------------------- the scripted step activity

/** What the stub answers for one call: (part of) a StepResult, or an activity failure of this type. */
type Answer = Partial<StepResult> | { throws: string };

/**
 * Per step, the answers to its successive calls; the last one repeats. A step's compensation is keyed
 * `undo <stepId>`. Unscripted steps succeed with no outputs (compensations with 204).
 */
type Script = Record<string, Answer[]>;

interface StepCall {
  /** `stepId`, or `undo stepId` for its x-compensation. */
  step: string;
  afterAmbiguous: boolean;
  context: RunStepInput['context'];
  at: number;
}

const ok = (outputs: Record<string, unknown> = {}, more: Partial<StepResult> = {}): Answer => ({
  successful: true,
  statusCode: 200,
  outputs,
  ...more,
});
const failed = (statusCode: number, more: Partial<StepResult> = {}): Answer => ({
  successful: false,
  statusCode,
  failedCriterion: { condition: '$statusCode == 200', explanation: `found ${statusCode}` },
  ...more,
});
const throws = (type: string): Answer => ({ throws: type });
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

function stubActivities(inputs: Record<string, unknown>, script: Script) {
  const calls: StepCall[] = [];
  const served = new Map<string, number>();
  const activities: ArazzoActivities = {
    async loadPlan(input) {
      const plan = await planOf(input.workflowId ?? 'sequential');
      return { plan, planDigest: planDigest(plan), inputs, warnings: [], searchAttributes: [] };
    },
    async runStep(input) {
      const compensation = input.ref ? input.ref.part === 'compensation' : input.undo !== undefined;
      const stepId = input.ref?.stepId ?? input.stepId.split(':')[0];
      const step = compensation ? `undo ${stepId}` : stepId;
      calls.push({ step, afterAmbiguous: input.afterAmbiguous === true, context: input.context, at: Date.now() });
      const answers = script[step] ?? [compensation ? ok({}, { statusCode: 204 }) : ok()];
      const count = served.get(step) ?? 0;
      served.set(step, count + 1);
      const answer = answers[Math.min(count, answers.length - 1)];
      if ('throws' in answer) {
        // Non-retryable, so Temporal hands the failure to the workflow at once (as after the last attempt).
        throw ApplicationFailure.create({
          type: answer.throws,
          message: `stub ${step}: ${answer.throws}`,
          nonRetryable: true,
        });
      }
      return {
        stepId: input.stepId,
        method: 'STUB',
        url: `stub://${step}`,
        statusCode: 200,
        successful: true,
        outputs: {},
        unresolvedOutputs: [],
        matched: { success: [], failure: [] },
        durationMs: 0,
        attempt: 1,
        ...answer,
      };
    },
  };
  return { activities, calls };
}

// ---------------------------------------------------------------- one run

interface Walk {
  workflowId: string;
  script?: Script;
  inputs?: Record<string, unknown>;
  /** More run input (approval, budgets, continue-as-new threshold). */
  run?: Partial<ArazzoRunInput>;
  /** What a person does while the run is going (signals, updates). */
  drive?: (handle: WorkflowHandle) => Promise<void>;
}

interface Walked {
  result?: ArazzoRunResult;
  /** The run's failure (type and message), when it failed. */
  failure?: { type?: string | null; message: string };
  progress: RunProgress;
  /** The steps the walk ran, in order. */
  trace: string[];
  calls: StepCall[];
  handle: WorkflowHandleWithFirstExecutionRunId;
  /** Step status per stepId, from the progress query. */
  statuses: Record<string, string>;
}

describe('interpreter walk: the real workflow with scripted step answers', () => {
  let env: TemporalTestEnv;
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  async function walk({ workflowId, script = {}, inputs = {}, run = {}, drive }: Walk): Promise<Walked> {
    await planOf(workflowId); // a fixture mistake fails here, not as a retried activity
    const taskQueue = env.uniqueTaskQueue('walk');
    const { activities, calls } = stubActivities(inputs, script);
    const worker = await env.createWorker({ taskQueue, activities });
    return worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, { document: DOCUMENT, workflowId, inputs, ...run });
      await drive?.(handle);
      let result: ArazzoRunResult | undefined;
      let failure: Walked['failure'];
      try {
        result = await handle.result();
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        failure = err.cause as ApplicationFailure;
      }
      const progress = await handle.query<RunProgress>('progress');
      const statuses = Object.fromEntries(progress.steps.map((s) => [s.stepId, s.status]));
      return { result, failure, progress, trace: calls.map((c) => c.step), calls, handle, statuses };
    });
  }

  /** A drive step: once the run is in `state`, act on it. */
  const when =
    (state: RunState, act: (handle: WorkflowHandle, progress: RunProgress) => Promise<unknown>) =>
    async (handle: WorkflowHandle) => {
      await act(handle, await waitForState(handle, state, 20_000));
    };

  /** How many runs the workflow id had: the first run, then each run it continued as new into. */
  async function runsOf(handle: WorkflowHandleWithFirstExecutionRunId): Promise<number> {
    let runs = 0;
    for (let runId: string | null | undefined = handle.firstExecutionRunId; runId; runs++) {
      const history = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    }
    return runs;
  }

  const contextOf = (calls: StepCall[], step: string, nth = 0) => calls.filter((c) => c.step === step)[nth]?.context;

  // ---------------------------------------------------------------- sequence and control flow

  it('runs the steps in order and returns the workflow outputs', async () => {
    const { result, trace, calls, statuses } = await walk({
      workflowId: 'sequential',
      inputs: { thingId: 'thing-7' },
      script: {
        readStatus: [ok({ state: 'green' })],
        readThing: [ok({ name: 'seven' })],
        makeThing: [ok({ id: 'thing-8' }, { statusCode: 201 })],
      },
    });
    expect(trace).toEqual(['readStatus', 'readThing', 'makeThing']);
    expect(result?.status).toBe('completed');
    expect(result?.outputs).toEqual({ state: 'green', name: 'seven', id: 'thing-8' });
    expect(contextOf(calls, 'readThing')?.inputs).toEqual({ thingId: 'thing-7' });
    expect(statuses).toEqual({ readStatus: 'succeeded', readThing: 'succeeded', makeThing: 'succeeded' });
  });

  it.each([
    { matched: true, trace: ['first', 'third'], second: 'pending' },
    { matched: false, trace: ['first', 'second', 'third'], second: 'succeeded' },
  ])('onSuccess goto (criteria matched: $matched) then end', async ({ matched, trace: expected, second }) => {
    const { result, trace, statuses } = await walk({
      workflowId: 'jumps',
      script: { first: [ok({}, { matched: { success: [matched], failure: [] } })] },
    });
    expect(trace).toEqual(expected);
    expect(result?.status).toBe('completed');
    expect(statuses).toEqual({ first: 'succeeded', second, third: 'succeeded', fourth: 'pending' });
  });

  it('onFailure retry: retries up to retryLimit, then falls through to the next failure action', async () => {
    const { result, trace, progress } = await walk({ workflowId: 'retries', script: { poll: [failed(503)] } });
    expect(trace).toEqual(['poll', 'poll', 'poll', 'fallback']);
    expect(result?.status).toBe('completed');
    expect(progress.steps.find((s) => s.stepId === 'poll')).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it("onFailure retry: success within the limit goes on; the answer's Retry-After sets the delay", async () => {
    const { result, trace, calls } = await walk({
      workflowId: 'retries',
      script: { poll: [failed(503, { retryAfterSeconds: 1 }), ok({ state: 'ready' })] },
    });
    expect(trace).toEqual(['poll', 'poll', 'done']);
    expect(result?.outputs).toEqual({ state: 'ready' });
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
  });

  it('onFailure retry with a detour: the named step runs, then the failed step again with its outputs', async () => {
    const { result, trace, calls } = await walk({
      workflowId: 'detour',
      script: { fetch: [failed(401), ok()], refresh: [ok({ token: 'fresh' })] },
    });
    expect(trace).toEqual(['fetch', 'refresh', 'fetch', 'finish']);
    expect(result?.status).toBe('completed');
    expect(contextOf(calls, 'fetch', 1)?.steps).toEqual({ refresh: { outputs: { token: 'fresh' } } });
  });

  it('dependsOn runs first as a child run; a goto to another workflow ends with its outputs', async () => {
    const { result, trace, calls, statuses, handle } = await walk({
      workflowId: 'handOff',
      script: { prepStep: [ok({ token: 'tok' })], otherStep: [ok({ result: 'from other' })] },
    });
    expect(trace).toEqual(['prepStep', 'begin', 'otherStep']);
    expect(result?.status).toBe('completed');
    expect(result?.outputs).toEqual({ result: 'from other' });
    expect(contextOf(calls, 'begin')?.workflows).toEqual({ prepare: { outputs: { token: 'tok' } } });
    expect(statuses).toEqual({ begin: 'succeeded', neverReached: 'pending' });
    const history = await handle.fetchHistory();
    const children = (history.events ?? []).filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(children).toHaveLength(2);
  });

  it("a workflowId step runs the child with its parameters as inputs and keeps the child's outputs", async () => {
    const { result, trace, calls, progress } = await walk({
      workflowId: 'parent',
      inputs: { label: 'L1' },
      script: { childStep: [ok({ value: 'V1' })] },
    });
    expect(trace).toEqual(['childStep', 'useIt']);
    expect(contextOf(calls, 'childStep')?.inputs).toEqual({ label: 'L1' });
    expect(contextOf(calls, 'useIt')?.steps).toEqual({ callChild: { outputs: { childResult: 'V1' } } });
    expect(result?.outputs).toEqual({ childResult: 'V1' });
    expect(progress.steps.find((s) => s.stepId === 'callChild')).toMatchObject({
      status: 'succeeded',
      operation: 'workflow child',
    });
  });

  it('a failure no action handles fails the run with StepFailed', async () => {
    // The explanation already starts with its condition, as the criteria engine writes it: said once.
    const failedCriterion = {
      condition: '$statusCode == 200',
      explanation: '$statusCode == 200: found 404, expected 200',
    };
    const { failure, trace, statuses, progress } = await walk({
      workflowId: 'sequential',
      script: { readThing: [failed(404, { failedCriterion })] },
    });
    expect(trace).toEqual(['readStatus', 'readThing']);
    expect(failure?.type).toBe('StepFailed');
    expect(failure?.message).toContain('readThing');
    expect(statuses).toEqual({ readStatus: 'succeeded', readThing: 'failed', makeThing: 'pending' });
    expect(progress.steps.find((s) => s.stepId === 'readThing')?.message).toBe(failedCriterion.explanation);
  });

  it('the step budget stops a goto loop with StepBudgetExceeded', async () => {
    const { failure, trace } = await walk({ workflowId: 'spin', run: { stepBudget: 5 } });
    expect(failure?.type).toBe('StepBudgetExceeded');
    expect(trace).toEqual(times(5, 'spin'));
  });

  // ---------------------------------------------------------------- approval of the DELETE step

  const created = { create: [ok({ id: 'thing-1' }, { statusCode: 201 })] };

  it('approved through the approve signal: the DELETE runs after it', async () => {
    const { result, trace } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', (handle, progress) => {
        expect(progress.pendingApproval).toMatchObject({ stepId: 'remove', method: 'DELETE' });
        expect(progress.steps.find((s) => s.stepId === 'remove')?.status).toBe('awaiting-approval');
        return handle.signal('approve', { stepId: 'remove', by: 'alice' });
      }),
    });
    expect(trace).toEqual(['create', 'remove']);
    expect(result?.status).toBe('completed');
    expect(result?.approvals).toMatchObject([{ stepId: 'remove', decision: 'approved', by: 'alice', via: 'signal' }]);
  });

  it('approved through the approve update: the update answers and the DELETE runs', async () => {
    let answer: unknown;
    const { result, trace } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', async (handle, progress) => {
        const args = { stepId: 'remove', approvalId: progress.pendingApproval!.approvalId, by: 'alice' };
        answer = await handle.executeUpdate('approve', { args: [args] });
      }),
    });
    expect(answer).toMatch(/^approved remove/);
    expect(trace).toEqual(['create', 'remove']);
    expect(result?.approvals).toMatchObject([{ decision: 'approved', via: 'update' }]);
  });

  it('rejected: the DELETE is skipped and nothing is undone', async () => {
    const { result, trace, statuses } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', (handle) =>
        handle.signal('reject', { stepId: 'remove', by: 'bob', reason: 'not today' }),
      ),
    });
    expect(trace).toEqual(['create']);
    expect(result?.status).toBe('rejected');
    expect(result?.message).toBe('rejected by bob: not today');
    expect(statuses).toEqual({ create: 'succeeded', remove: 'skipped' });
  });

  it("rejected with compensate: the create is undone through its x-compensation, with the create's outputs", async () => {
    const { result, trace, calls, statuses } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', (handle) =>
        handle.executeUpdate('reject', {
          args: [{ stepId: 'remove', by: 'bob', reason: 'undo it', compensate: true }],
        }),
      ),
    });
    expect(trace).toEqual(['create', 'undo create']);
    expect(contextOf(calls, 'undo create')?.steps).toEqual({ create: { outputs: { id: 'thing-1' } } });
    expect(result?.status).toBe('compensated');
    expect(statuses).toEqual({ create: 'compensated', remove: 'skipped' });
  });

  it('an approval not given in time ends the run as approval-expired, nothing destructive sent', async () => {
    const { result, trace, statuses } = await walk({
      workflowId: 'guarded',
      script: created,
      run: { approval: { timeout: '1s' } },
    });
    expect(trace).toEqual(['create']);
    expect(result?.status).toBe('approval-expired');
    expect(result?.approvals).toMatchObject([{ stepId: 'remove', decision: 'expired' }]);
    expect(statuses.remove).toBe('skipped');
  });

  it('a signal for the wrong step is ignored and recorded; the update validator refuses it', async () => {
    const { result, progress, trace } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', async (handle) => {
        await handle.signal('approve', { stepId: 'create', by: 'mallory' });
        await expect(
          handle.executeUpdate('approve', { args: [{ stepId: 'create', by: 'eve' }] }),
        ).rejects.toMatchObject({
          cause: { message: 'step create is not awaiting approval (pending: remove)' },
        });
        const still = await handle.query<RunProgress>('progress');
        expect(still.state).toBe('awaiting-approval');
        await handle.signal('approve', { stepId: 'remove', by: 'alice' });
      }),
    });
    expect(trace).toEqual(['create', 'remove']);
    expect(result?.status).toBe('completed');
    expect(progress.ignored).toMatchObject([
      { name: 'approve', by: 'mallory', reason: 'step create is not awaiting approval (pending: remove)' },
    ]);
    expect(result?.approvals).toMatchObject([{ decision: 'approved', by: 'alice' }]);
  });

  // ---------------------------------------------------------------- needs-attention

  /** The attention workflow: create succeeds, then `write` fails as scripted. */
  const writeFails = (write: Answer, after: Answer[] = [ok({ version: 'v2' })]): Script => ({
    ...created,
    write: [write, ...after],
  });

  it('an ambiguous failure waits for an operator; retryStep sends the step again, marked afterAmbiguous', async () => {
    const { result, calls } = await walk({
      workflowId: 'attention',
      script: writeFails(throws('RequestOutcomeUnknown')),
      drive: when('needs-attention', (handle, progress) => {
        expect(progress.attention?.stepId).toBe('write');
        expect(progress.attention?.known).toMatch(/may have reached the server/);
        expect(progress.steps.find((s) => s.stepId === 'write')?.status).toBe('needs-attention');
        return handle.signal('retryStep', { stepId: 'write', by: 'op' });
      }),
    });
    expect(calls.map((c) => [c.step, c.afterAmbiguous])).toEqual([
      ['create', false],
      ['write', false],
      ['write', true],
      ['after', false],
    ]);
    expect(result?.outputs).toEqual({ id: 'thing-1', version: 'v2' });
  });

  it('a request that was never sent waits too; the retried call is not marked afterAmbiguous', async () => {
    const { result, calls } = await walk({
      workflowId: 'attention',
      script: writeFails(throws('RequestNotSent')),
      drive: when('needs-attention', (handle, progress) => {
        expect(progress.attention?.known).toMatch(/never left this machine/);
        return handle.executeUpdate('retryStep', { args: [{ stepId: 'write', by: 'op' }] });
      }),
    });
    expect(calls.filter((c) => c.step === 'write').map((c) => c.afterAmbiguous)).toEqual([false, false]);
    expect(result?.status).toBe('completed');
  });

  it('supplyOutputs continues the walk with the outputs the operator gives', async () => {
    const { result, trace, calls, statuses } = await walk({
      workflowId: 'attention',
      script: writeFails(throws('RequestOutcomeUnknown')),
      drive: when('needs-attention', (handle) =>
        handle.executeUpdate('supplyOutputs', {
          args: [{ stepId: 'write', by: 'op', outputs: { version: 'v-supplied' } }],
        }),
      ),
    });
    expect(trace).toEqual(['create', 'write', 'after']);
    expect(contextOf(calls, 'after')?.steps).toEqual({ write: { outputs: { version: 'v-supplied' } } });
    expect(result?.outputs).toEqual({ id: 'thing-1', version: 'v-supplied' });
    expect(statuses).toEqual({ create: 'succeeded', write: 'succeeded', after: 'succeeded' });
  });

  it('abort without compensate fails the run with Aborted and undoes nothing', async () => {
    const { failure, trace } = await walk({
      workflowId: 'attention',
      script: writeFails(throws('RequestOutcomeUnknown')),
      drive: when('needs-attention', (handle) => handle.signal('abort', { by: 'op', reason: 'enough' })),
    });
    expect(failure).toMatchObject({ type: 'Aborted', message: 'aborted by op: enough' });
    expect(trace).toEqual(['create', 'write']);
  });

  it('abort with compensate undoes the completed create', async () => {
    const { result, trace, statuses } = await walk({
      workflowId: 'attention',
      script: writeFails(throws('RequestOutcomeUnknown')),
      drive: when('needs-attention', (handle) =>
        handle.executeUpdate('abort', { args: [{ by: 'op', reason: 'roll back', compensate: true }] }),
      ),
    });
    expect(trace).toEqual(['create', 'write', 'undo create']);
    expect(result?.status).toBe('compensated');
    expect(statuses.create).toBe('compensated');
  });

  it('a request that cannot be built fails the run at once with RequestBuildError', async () => {
    const { failure, trace, statuses } = await walk({
      workflowId: 'attention',
      script: writeFails(throws('RequestBuildError')),
    });
    expect(failure?.type).toBe('RequestBuildError');
    expect(trace).toEqual(['create', 'write']);
    expect(statuses.write).toBe('failed');
  });

  it('a failed step after a create with x-compensation parks in needs-attention; abort+compensate undoes it', async () => {
    const { result, trace, statuses } = await walk({
      workflowId: 'attention',
      script: writeFails(failed(409)),
      drive: when('needs-attention', (handle, progress) => {
        expect(progress.attention?.stepId).toBe('write');
        expect(progress.attention?.known).toMatch(/completed steps that can be undone: create/);
        return handle.signal('abort', { by: 'op', reason: 'conflict', compensate: true });
      }),
    });
    expect(trace).toEqual(['create', 'write', 'undo create']);
    expect(result?.status).toBe('compensated');
    expect(statuses).toMatchObject({ create: 'compensated', write: 'needs-attention' });
  });

  it('a create that failed but made something parks (no retry offered); abort+compensate undoes it', async () => {
    const { result, trace, calls } = await walk({
      workflowId: 'attention',
      script: {
        create: [failed(200, { outputs: { id: 'thing-9' }, created: { ids: { '/id': 'thing-9' }, secrets: {} } })],
      },
      drive: when('needs-attention', (handle, progress) => {
        expect(progress.attention?.known).toMatch(/created thing-9/);
        expect(progress.attention?.options.join('\n')).not.toMatch(/retryStep/);
        return handle.signal('abort', { by: 'op', reason: 'clean up', compensate: true });
      }),
    });
    expect(trace).toEqual(['create', 'undo create']);
    expect(contextOf(calls, 'undo create')?.steps).toEqual({ create: { outputs: { id: 'thing-9' } } });
    expect(result?.status).toBe('compensated');
  });

  it('after a create that failed but made something, retryStep is refused: a second POST would make a second one', async () => {
    const { result, trace, progress } = await walk({
      workflowId: 'attention',
      script: {
        create: [failed(200, { outputs: { id: 'thing-9' }, created: { ids: { '/id': 'thing-9' }, secrets: {} } })],
      },
      drive: when('needs-attention', async (handle, progress) => {
        expect(progress.attention?.choices).toEqual(['abort']);
        await expect(
          handle.executeUpdate('retryStep', { args: [{ stepId: 'create', by: 'eve' }] }),
        ).rejects.toMatchObject({
          cause: { message: expect.stringMatching(/^retryStep is not a choice here \(abort\)/) },
        });
        await handle.signal('retryStep', { stepId: 'create', by: 'mallory' });
        await handle.signal('abort', { by: 'op', reason: 'clean up', compensate: true });
      }),
    });
    expect(trace).toEqual(['create', 'undo create']);
    expect(result?.status).toBe('compensated');
    expect(progress.ignored).toMatchObject([{ name: 'retryStep', by: 'mallory' }]);
  });

  it('an abort signal while an approval is pending is recorded as a rejection by signal', async () => {
    const { result, trace } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', (handle) => handle.signal('abort', { by: 'carol', reason: 'not now' })),
    });
    expect(trace).toEqual(['create']);
    expect(result?.status).toBe('rejected');
    expect(result?.approvals).toMatchObject([{ decision: 'rejected', by: 'carol', comment: 'not now', via: 'signal' }]);
  });

  it('an id supplied without its secret is refused unless said so; then nothing destructive is offered until the secret is held', async () => {
    const { result, trace, progress } = await walk({
      workflowId: 'rotate',
      script: { mint: [throws('RequestOutcomeUnknown')] },
      drive: async (handle) => {
        await waitForState(handle, 'needs-attention', 20_000);
        const idOnly = { stepId: 'mint', by: 'op', outputs: { id: 'thing-5' } };
        await expect(handle.executeUpdate('supplyOutputs', { args: [idOnly] })).rejects.toMatchObject({
          cause: { message: expect.stringMatching(/^newSecret of mint holds the one-time secret/) },
        });
        await handle.signal('supplyOutputs', idOnly);
        await handle.executeUpdate('supplyOutputs', { args: [{ ...idOnly, secretLost: true }] });
        // The revocation is not offered: the run waits for the secret (or an abort) instead.
        const parked = await waitForState(handle, 'needs-attention', 20_000);
        expect(parked.pendingApproval).toBeUndefined();
        expect(parked.attention).toMatchObject({ stepId: 'mint', choices: ['supplyOutputs', 'abort'] });
        expect(parked.attention?.reason).toMatch(
          /revoke is not offered for approval: the new secret mint\.newSecret is held by nobody/,
        );
        const secret = { stepId: 'mint', by: 'op', outputs: { newSecret: { $secret: 'env:NEW_SECRET' } } };
        await handle.executeUpdate('supplyOutputs', { args: [secret] });
        const waiting = await waitForState(handle, 'awaiting-approval', 20_000);
        expect(waiting.pendingApproval?.secrets).toEqual(['mint.newSecret → given as secret env:NEW_SECRET']);
        await handle.executeUpdate('approve', { args: [{ stepId: 'revoke', by: 'alice' }] });
      },
    });
    expect(trace).toEqual(['mint', 'revoke']);
    expect(result?.status).toBe('completed');
    expect(progress.ignored).toMatchObject([
      { name: 'supplyOutputs', reason: expect.stringMatching(/^newSecret of mint/) },
    ]);
    const mint = progress.steps.find((s) => s.stepId === 'mint');
    expect(mint?.message).toBe('outputs supplied by op');
    expect(mint?.httpStatus).toBeUndefined();
  });

  it('the approval prompt says where a minted secret is held', async () => {
    const { result, trace } = await walk({
      workflowId: 'rotate',
      script: { mint: [ok({ id: 'thing-6', newSecret: 's3cr3t-value' })] },
      drive: when('awaiting-approval', async (handle, waiting) => {
        expect(waiting.pendingApproval?.secrets).toEqual([
          expect.stringMatching(
            /^mint\.newSecret → kept in this run's encrypted history \(•••••• \(fp [0-9a-f]{4}\)\)$/,
          ),
        ]);
        await handle.signal('approve', { stepId: 'revoke', by: 'alice' });
      }),
    });
    expect(trace).toEqual(['mint', 'revoke']);
    expect(result?.status).toBe('completed');
  });

  it('what a person sends that does not fit is recorded bounded: the newest 20, each text cut, a count of the dropped', async () => {
    const huge = 'x'.repeat(1_500_000);
    const { result, progress } = await walk({
      workflowId: 'guarded',
      script: created,
      drive: when('awaiting-approval', async (handle) => {
        for (let i = 0; i < 3; i++) await handle.signal('approve', { stepId: huge, by: 'mallory' });
        for (let i = 0; i < 22; i++) await handle.signal('approve', { stepId: `wrong-${i}`, by: 'mallory' });
        const status = await handle.query<RunProgress>('progress');
        expect(status.ignored).toHaveLength(20);
        expect(status.ignoredDropped).toBe(5);
        await handle.executeUpdate('approve', { args: [{ stepId: 'remove', by: 'alice', comment: huge }] });
      }),
    });
    expect(result?.status).toBe('completed');
    expect(progress.ignored.at(-1)).toMatchObject({
      reason: 'step wrong-21 is not awaiting approval (pending: remove)',
    });
    expect(JSON.stringify(progress).length).toBeLessThan(50_000);
    expect(result?.approvals[0].comment).toMatch(/^x{500}… \(1499500 more characters\)$/);
  });

  // ---------------------------------------------------------------- continue-as-new

  // guardedLoop: create, then `wait` fails twice (retried at once), then is ready. Each retry is a timer
  // (about a second on the dev server), so the loop is short and the history threshold low: the first
  // run passes 20 events on its first retry, after the create, and continues as new there.
  const longLoop: Script = { ...created, wait: [...times(2, failed(404)), ok({ state: 'ready' })] };
  const loopTrace = ['create', ...times(3, 'wait')];
  const continueAsNewAfterEvents = 20;

  it('a long retry loop continues as new and finishes with the outputs of every run', async () => {
    const { result, trace, handle } = await walk({
      workflowId: 'guardedLoop',
      script: longLoop,
      run: { continueAsNewAfterEvents, approval: { mode: 'none' } },
    });
    expect(await runsOf(handle)).toBeGreaterThan(1);
    expect(trace).toEqual([...loopTrace, 'remove']);
    expect(result?.status).toBe('completed');
    expect(result?.outputs).toEqual({ id: 'thing-1', state: 'ready' });
  });

  // The steps completed before continue-as-new are part of the run's one record, so compensating in a
  // later run still finds the create (before the record, it was left behind).
  it('after continuing as new, reject with compensate still undoes the create made before', async () => {
    const { result, trace, statuses, handle } = await walk({
      workflowId: 'guardedLoop',
      script: longLoop,
      run: { continueAsNewAfterEvents },
      drive: when('awaiting-approval', (handle) =>
        handle.signal('reject', { stepId: 'remove', by: 'bob', reason: 'undo it', compensate: true }),
      ),
    });
    expect(await runsOf(handle)).toBeGreaterThan(1);
    expect(result?.status).toBe('compensated');
    expect(trace).toEqual([...loopTrace, 'undo create']);
    expect(statuses).toEqual({ create: 'compensated', wait: 'succeeded', remove: 'skipped' });
  });
});
