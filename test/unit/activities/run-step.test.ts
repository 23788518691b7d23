// The real step activity, outside any workflow: MockActivityEnvironment runs `loadPlan` (which records
// the plan in the activities' plan store) and then `runStep` with a reference to a step of that plan,
// the way the interpreter schedules it, and every request is real HTTP over loopback to the Prisma
// simulator. What the activity returns or throws is what the workflow decides on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import {
  createActivities,
  type LoadPlanResult,
  type RunStepInput,
  type StepResult,
} from '../../../src/activities/index.js';
import type { ExpressionContext } from '../../../src/arazzo/expressions/index.js';
import { referencedContext, stepExpressionText } from '../../../src/arazzo/plan/referenced-context.js';
import type { Exchange } from '../../../src/simulators/http-server.js';
import type { PrismaSimulator } from '../../../src/simulators/index.js';
import { testPolicy } from '../../support/rotation.js';
import { passwordOf, useSimulators } from '../../support/simulators.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const DOCUMENT = 'test/fixtures/run-step-activity/prisma-steps.arazzo.yaml';
const TOKEN_VARIABLE = 'RUN_STEP_TEST_PRISMA_TOKEN';

// Plans are sealed by loadPlan; without codec keys the seal key comes from here (no key file written).
process.env.ARAZZO_PLAN_SEAL_KEY ??= Buffer.alloc(32, 7).toString('base64');

const sims = useSimulators();

/** The activity context, its log kept quiet (the failures it would log are what the tests expect). */
const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const activityEnvironment = (attempt = 1) => new MockActivityEnvironment({ attempt }, { logger: quiet });

/** What a step is told besides its reference: another step's outputs, a server, ambiguity, an attempt. */
interface StepCall {
  steps?: ExpressionContext['steps'];
  serverUrl?: string;
  afterAmbiguous?: boolean;
  attempt?: number;
  deliver?: Record<string, string>;
}

/**
 * A seeded simulator and the worker's activities with the plan loaded, the service token given as an
 * `env:` secret reference (as an operator would); `run` executes one step of the plan by reference.
 */
async function setUp(options: { sinkDir?: string } = {}) {
  const exchanges: Exchange[] = [];
  const prisma = await sims.prisma({ onExchange: (x) => exchanges.push(x) });
  const seeded = prisma.seed({ databaseName: 'orders' });
  process.env[TOKEN_VARIABLE] = seeded.serviceToken;
  const activities = createActivities(
    testPolicy({
      documentRoot: repoRoot,
      secrets: { envAllow: [TOKEN_VARIABLE], hostBindings: [], sinkDir: options.sinkDir },
    }),
  );
  const loaded: LoadPlanResult = await activityEnvironment().run(activities.loadPlan, {
    document: DOCUMENT,
    inputs: { apiToken: { $secret: `env:${TOKEN_VARIABLE}` }, databaseId: seeded.databaseId, newName: 'replacement' },
    servers: { prismaManagementApi: prisma.baseUrl },
  });
  const workflow = loaded.plan.workflows[loaded.plan.workflowId];

  function run(stepId: string, call: StepCall = {}): Promise<StepResult> {
    const step = workflow.steps.find((s) => s.stepId === stepId)!;
    const context = { inputs: loaded.inputs, steps: call.steps ?? {}, workflows: {} };
    const input: RunStepInput = {
      stepId,
      ref: { digest: loaded.planDigest, workflowId: loaded.plan.workflowId, stepId, part: 'step' },
      context: referencedContext(stepExpressionText(step, 'step'), context),
      strict: loaded.plan.strict,
      serverUrl: call.serverUrl ?? prisma.baseUrl,
      timeoutMs: 5_000,
      afterAmbiguous: call.afterAmbiguous ?? false,
      deliver: call.deliver,
    };
    return activityEnvironment(call.attempt).run(activities.runStep, input);
  }
  /** The failure `run` throws (the test fails if it returns). */
  const failureOf = (stepId: string, call?: StepCall) =>
    run(stepId, call).then(
      (result) => {
        // Status only: a result may hold a created resource's one-time secret.
        throw new Error(`expected ${stepId} to throw, it returned HTTP ${result.statusCode}`);
      },
      (err: unknown) => err as ApplicationFailure,
    );
  return { prisma, seeded, exchanges, run, failureOf };
}

const requests = (sim: PrismaSimulator, method: string) =>
  sim.audit.entries.filter((e) => e.source === 'http' && e.request?.method === method);

/** The id of the connection the create step made, for the delete step's context. */
const createdStep = (connectionId: string) => ({ createConnection: { outputs: { newConnectionId: connectionId } } });

describe('runStep activity against the Prisma simulator', () => {
  it('a successful GET returns the status and the outputs the step names', async () => {
    const { prisma, seeded, run } = await setUp();
    const result = await run('readDatabase');
    expect(result).toMatchObject({
      stepId: 'readDatabase',
      method: 'GET',
      url: `${prisma.baseUrl}/databases/${seeded.databaseId}`,
      statusCode: 200,
      successful: true,
      outputs: { databaseName: 'orders', databaseStatus: 'ready' },
      unresolvedOutputs: [],
    });
    expect(requests(prisma, 'GET')).toHaveLength(1);
  });

  it('a failed criterion is explained with what was found, the secret in the response masked', async () => {
    const { prisma, seeded, exchanges, run } = await setUp();
    const result = await run('createConnection');
    const made = prisma.state.connections(seeded.databaseId).find((c) => c.name === 'replacement')!;
    expect(result).toMatchObject({ statusCode: 200, successful: false, outputs: { newConnectionId: made.id } });
    expect(result.failedCriterion?.condition).toBe(
      "$response.body#/data/endpoints/direct/connectionString == 'issued elsewhere'",
    );
    expect(result.failedCriterion?.explanation).toMatch(/: found "•+ \(fp [0-9a-f]+\)", expected "issued elsewhere"$/);
    // The one-time connection string the server sent is in neither the explanation nor the outputs.
    const issued: string = JSON.parse(exchanges.find((x) => x.method === 'POST')!.bodyText).data.endpoints.direct
      .connectionString;
    const shown = JSON.stringify([result.failedCriterion, result.outputs, result.url]);
    for (const secret of [issued, passwordOf(issued), seeded.serviceToken]) expect(shown.includes(secret)).toBe(false);
    // A create the server accepted although the step failed names what now exists (its secrets are kept
    // for the run's encrypted history, so an operator can still use or undo it).
    expect(result.created?.ids).toEqual({ '/data/id': made.id });
    expect(Object.keys(result.created?.secrets ?? {})).toContain('/data/endpoints/direct/connectionString');
  });

  it('a transient 503 on an idempotent GET is thrown for Temporal to retry after Retry-After', async () => {
    const { prisma, seeded, run, failureOf } = await setUp();
    prisma.faults.status('GET /v1/databases/:databaseId', 503, { retryAfterSeconds: 2 });
    const failure = await failureOf('readDatabase');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'TransientHttpStatus',
      nonRetryable: false,
      nextRetryDelay: '2s',
      message: `step readDatabase: GET ${prisma.baseUrl}/databases/${seeded.databaseId} answered 503`,
    });
    // Temporal's next attempt finds the server well again.
    expect(await run('readDatabase', { attempt: 2 })).toMatchObject({ successful: true, attempt: 2 });
    expect(requests(prisma, 'GET')).toHaveLength(2);
  });

  it('a POST is never retried: a 503 is returned as the step failing, one request sent', async () => {
    const { prisma, seeded, run } = await setUp();
    prisma.faults.status('POST /v1/databases/:databaseId/connections', 503, { retryAfterSeconds: 1 });
    const result = await run('createConnection');
    expect(result).toMatchObject({ method: 'POST', statusCode: 503, successful: false, retryAfterSeconds: 1 });
    expect(result.failedCriterion?.condition).toBe('$statusCode == 200');
    expect(result.created).toBeUndefined();
    expect(requests(prisma, 'POST')).toHaveLength(1);
    expect(prisma.state.connections(seeded.databaseId)).toHaveLength(1);
  });

  it('a POST whose connection drops after the server acted is a non-retryable RequestOutcomeUnknown', async () => {
    const { prisma, seeded, failureOf } = await setUp();
    prisma.faults.drop('POST /v1/databases/:databaseId/connections', { phase: 'after-state-change' });
    const failure = await failureOf('createConnection');
    expect(failure).toMatchObject({ type: 'RequestOutcomeUnknown', nonRetryable: true });
    expect(failure.message).toMatch(/^step createConnection: POST .* failed after it may have reached the server/);
    expect(requests(prisma, 'POST')).toHaveLength(1);
    expect(prisma.state.connections(seeded.databaseId)).toHaveLength(2);
  });

  it.each([
    { after: 'a retry by Temporal (attempt 2)', call: { attempt: 2 } },
    { after: 'an operator retryStep (afterAmbiguous)', call: { afterAmbiguous: true } },
  ])('a DELETE answering 404 after an ambiguous attempt is alreadyGone: $after', async ({ call }) => {
    const { prisma, seeded, run, failureOf } = await setUp();
    prisma.faults.drop('DELETE /v1/connections/:id', { phase: 'after-state-change' });
    const steps = createdStep(seeded.connectionId);
    const first = await failureOf('deleteConnection', { steps });
    expect(first).toMatchObject({ type: 'RequestOutcomeUnknown', nonRetryable: false });
    const again = await run('deleteConnection', { steps, ...call });
    expect(again).toMatchObject({ method: 'DELETE', statusCode: 404, successful: true, alreadyGone: true });
    expect(requests(prisma, 'DELETE')).toHaveLength(2);
    expect(prisma.audit.revocations(seeded.connectionId)).toHaveLength(1);
  });

  it('a DELETE answering 404 with no ambiguous attempt before is a plain failure', async () => {
    const { prisma, run } = await setUp();
    const result = await run('deleteConnection', { steps: createdStep('con_cnotthereatall0000000000') });
    expect(result).toMatchObject({ statusCode: 404, successful: false });
    expect(result.alreadyGone).toBeFalsy();
    expect(requests(prisma, 'DELETE')).toHaveLength(1);
  });

  it('a request that cannot be built throws RequestBuildError, and nothing is sent', async () => {
    const { prisma, failureOf } = await setUp();
    const failure = await failureOf('deleteConnection'); // the create's output it needs is missing
    expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
    expect(failure.message).toMatch(
      /^step deleteConnection: required path parameter `connectionId` resolved to nothing/,
    );
    expect(prisma.audit.entries.filter((e) => e.source === 'http')).toHaveLength(0);
  });

  it('connection refused throws RequestNotSent (retryable for a GET: nothing reached the server)', async () => {
    const { failureOf } = await setUp();
    const closed = `http://127.0.0.1:${await closedPort()}/v1`;
    const failure = await failureOf('readDatabase', { serverUrl: closed });
    expect(failure).toMatchObject({ type: 'RequestNotSent', nonRetryable: false });
    expect(failure.message).toMatch(
      /^step readDatabase: GET http:\/\/127\.0\.0\.1:\d+\/v1\/databases\/\S+ was never sent/,
    );
  });
});

describe('runStep: deliveries no sink takes', () => {
  it('the value stays the output (encrypted history only) and the result lists it as undelivered', async () => {
    // A file where the sink directory should be: the sink cannot create it, so nothing is delivered.
    const blocked = join(mkdtempSync(join(tmpdir(), 'arazzo-run-step-')), 'sink');
    writeFileSync(blocked, 'not a directory');
    const { run } = await setUp({ sinkDir: blocked });
    const result = await run('readDatabase', { deliver: { databaseName: 'file:database-name.txt' } });
    expect(result).toMatchObject({ statusCode: 200, successful: true, outputs: { databaseName: 'orders' } });
    expect(result.undelivered).toEqual([
      { output: 'databaseName', to: 'file:database-name.txt', reason: expect.stringContaining('EEXIST') },
    ]);
    rmSync(dirname(blocked), { recursive: true, force: true });
  });
});

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
