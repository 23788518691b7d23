// A secret reference the worker does not allow (variable, file, host) fails the run before a single
// request; a plan forged in the run's input cannot send a secret elsewhere; a criterion failure whose
// explanation previews a response body with a secret shows it masked.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDocumentRoot } from '../../src/activities/config.js';
import { makeLoadPlan } from '../../src/activities/load-plan.js';
import { MASK } from '../../src/arazzo/secrets/mask.js';
import type { SecretPolicy } from '../../src/secrets/policy.js';
import type { ArazzoRunInput, RunProgress } from '../../src/workflows/types.js';
import { PRISMA_DOC, startRun, startWorker, testPolicy, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { countFound, secretGrams } from './secrets-support.js';

describe('secrets: refusals before any request, and masked failures', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  let work: string;
  let secretsDir: string;
  let sinkDir: string;

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-refusals-'));
    secretsDir = join(work, 'secrets');
    sinkDir = join(work, 'sink');
    mkdirSync(secretsDir, { mode: 0o700 });
    writeFileSync(join(work, 'outside.txt'), 'not a secret the worker shares');
  });
  afterAll(async () => {
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const policy = (over: Partial<SecretPolicy> = {}): SecretPolicy => ({
    envAllow: ['ARAZZO_E2E_REFUSAL_TOKEN'],
    secretsDir,
    sinkDir,
    hostBindings: [],
    ...over,
  });

  const httpRequests = (sim: { audit: { entries: readonly { source: string }[] } }) =>
    sim.audit.entries.filter((e) => e.source === 'http').length;

  async function failRun(apiToken: unknown, secrets: SecretPolicy, extra: Partial<ArazzoRunInput> = {}) {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    process.env.ARAZZO_E2E_REFUSAL_TOKEN = seeded.serviceToken;
    const taskQueue = env.uniqueTaskQueue('sec-refuse');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets }));
    const input: ArazzoRunInput = {
      document: PRISMA_DOC,
      inputs: {
        apiToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName: `rotation-${taskQueue.slice(-8)}`,
      },
      servers: { prismaManagementApi: prisma.baseUrl },
      approval: { timeout: '2m' },
      stepTimeout: '5s',
      ...extra,
    };
    const error = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      return handle.result().then(
        () => undefined,
        (err) => err,
      );
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as { cause?: { type?: string; message: string } } & {
      type?: string;
      message: string;
    };
    const failure = cause.cause ?? cause; // ActivityFailure → ApplicationFailure
    return { failure, prisma, seeded };
  }

  it('refuses an environment variable the worker does not allow, with zero requests', async () => {
    const { failure, prisma } = await failRun({ $secret: 'env:HOME' }, policy());
    expect(failure.type).toBe('SecretNotAllowed');
    expect(failure.message).toContain('environment variable HOME is not one this worker lets runs read');
    expect(httpRequests(prisma)).toBe(0);
  });

  it('refuses a file outside the secrets directory, or any file when the worker has no directory', async () => {
    const outside = await failRun({ $secret: 'file:../outside.txt' }, policy());
    expect(outside.failure.type).toBe('SecretNotAllowed');
    expect(httpRequests(outside.prisma)).toBe(0);
    const none = await failRun({ $secret: 'file:token.txt' }, policy({ secretsDir: undefined }));
    expect(none.failure.type).toBe('SecretNotAllowed');
    expect(none.failure.message).toContain('no secrets directory');
    expect(httpRequests(none.prisma)).toBe(0);
    const missing = await failRun({ $secret: 'file:absent.txt' }, policy());
    expect(missing.failure.type).toBe('SecretNotFound');
    expect(httpRequests(missing.prisma)).toBe(0);
  });

  it('refuses a reference bound to other hosts, a reference in a non-secret input, and an unknown sink', async () => {
    const bound = await failRun(
      { $secret: 'env:ARAZZO_E2E_REFUSAL_TOKEN' },
      policy({ hostBindings: [{ pattern: 'env:ARAZZO_E2E_*', hosts: ['api.prisma.io'] }] }),
    );
    expect(bound.failure.type).toBe('SecretHostNotAllowed');
    expect(bound.failure.message).toMatch(/may be sent only to api\.prisma\.io .*not to 127\.0\.0\.1/);
    expect(httpRequests(bound.prisma)).toBe(0);

    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('sec-refuse');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets: policy() }));
    const error = await worker.runUntil(async () =>
      (
        await startRun(env, taskQueue, {
          document: PRISMA_DOC,
          inputs: {
            apiToken: seeded.serviceToken,
            databaseId: seeded.databaseId,
            oldConnectionId: seeded.connectionId,
            // smuggling a secret into a field the provider echoes back
            newName: { $secret: 'env:ARAZZO_E2E_REFUSAL_TOKEN' },
          },
          servers: { prismaManagementApi: prisma.baseUrl },
          deliver: { newConnectionString: 'vault:x' },
        })
      )
        .result()
        .catch((e) => e),
    );
    expect(((error as WorkflowFailedError).cause as any).cause.type).toBe('SecretNotAllowed');
    expect(httpRequests(prisma)).toBe(0);

    const sinkless = await failRun(seeded.serviceToken, policy(), { deliver: { newConnectionString: 'vault:x' } });
    expect(sinkless.failure.type).toBe('InvalidDelivery');
    expect(httpRequests(sinkless.prisma)).toBe(0);
  });

  it('a plan forged in the run input cannot send a secret to another host (the step refuses before sending)', async () => {
    const prisma = await sims.prisma();
    const attacker = await sims.prisma();
    const seeded = prisma.seed();
    process.env.ARAZZO_E2E_REFUSAL_TOKEN = seeded.serviceToken;
    const loaded = await makeLoadPlan(testPolicy({ secrets: policy() }))({
      document: PRISMA_DOC,
      inputs: {
        apiToken: { $secret: 'env:ARAZZO_E2E_REFUSAL_TOKEN' },
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName: 'forged',
      },
    });
    const forged = structuredClone(loaded.plan);
    for (const step of forged.workflows[forged.workflowId].steps) {
      if (step.operation) step.operation.serverUrl = attacker.baseUrl;
    }
    const taskQueue = env.uniqueTaskQueue('sec-forged');
    const worker = await startWorker(env, taskQueue, testPolicy({ secrets: policy() }));
    const error = await worker.runUntil(async () =>
      (
        await startRun(env, taskQueue, {
          document: PRISMA_DOC,
          plan: forged,
          inputs: loaded.inputs,
          approval: { mode: 'none' },
        })
      )
        .result()
        .catch((e) => e),
    );
    const failure = (error as WorkflowFailedError).cause as { type?: string; message: string };
    expect(failure.type).toBe('RequestBuildError');
    expect(failure.message).toContain('no valid seal');
    expect(httpRequests(attacker)).toBe(0);
    expect(httpRequests(prisma)).toBe(0);
  });

  it('a failed criterion previewing a response body with the new connection string shows it masked', async () => {
    // A copy of the Prisma rotation whose create step demands something the response does not have.
    const root = join(work, 'docs');
    cpSync(join(defaultDocumentRoot, 'openapi'), join(root, 'openapi'), { recursive: true });
    mkdirSync(join(root, 'rotations'), { recursive: true });
    const original = readFileSync(join(defaultDocumentRoot, PRISMA_DOC), 'utf8');
    const anchor = '            condition: $.data.endpoints.direct.connectionString\n';
    expect(original).toContain(anchor);
    writeFileSync(
      join(root, PRISMA_DOC),
      original.replace(
        anchor,
        `${anchor}          - context: $response.body#/data/endpoints\n            type: jsonpath\n            condition: $.direct[?(@.port == 1)]\n`,
      ),
    );
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('sec-mask');
    const worker = await startWorker(env, taskQueue, testPolicy({ documentRoot: root, secrets: policy() }));
    const handle = await startRun(env, taskQueue, {
      document: PRISMA_DOC,
      inputs: {
        apiToken: seeded.serviceToken,
        databaseId: seeded.databaseId,
        oldConnectionId: seeded.connectionId,
        newName: `rotation-${taskQueue.slice(-8)}`,
      },
      servers: { prismaManagementApi: prisma.baseUrl },
      // the secret is captured even though the step fails: deliver it so the test can know it
      deliver: { newConnectionString: `file:${taskQueue.slice(-8)}.txt` },
      stepTimeout: '5s',
    });
    // The server accepted the create, so the run does not just fail: it parks, naming what exists.
    const { parked, minted, result, progress } = await worker.runUntil(async () => {
      const parked = await waitForState(handle, 'needs-attention');
      const minted = readFileSync(join(sinkDir, `${taskQueue.slice(-8)}.txt`), 'utf8');
      expect(prisma.credentialWorks(minted)).toBe(true);
      await handle.executeUpdate('abort', { args: [{ by: 'test', reason: 'undo the replacement', compensate: true }] });
      const result = await handle.result();
      return { parked, minted, result, progress: await handle.query<RunProgress>('progress') };
    });
    const reason = parked.attention?.reason ?? '';
    expect(reason).toContain('selected nothing in {"direct":{');
    expect(reason).toContain(`"connectionString":"${MASK} (fp `);
    const pieces = secretGrams(minted, ['postgres://', ':5432/postgres?sslmode=require', 'db.prisma.io']);
    expect(countFound(JSON.stringify(parked), [minted, ...pieces])).toBe(0);
    // Aborted with compensation: the replacement (x-compensation of createConnection) is deleted again.
    expect(result.status).toBe('compensated');
    expect(prisma.credentialWorks(minted)).toBe(false);
    const step = parked.steps.find((s) => s.stepId === 'createConnection');
    expect(step?.message).toContain(MASK);
    expect(countFound(JSON.stringify(progress), [minted, ...pieces])).toBe(0);
    // and nowhere in the (decoded) history either
    const history = await handle.fetchHistory();
    const decodedText: string[] = [];
    const converter = env.client.options.loadedDataConverter;
    for (const event of history.events ?? []) {
      const payloads =
        event.activityTaskCompletedEventAttributes?.result?.payloads ??
        event.activityTaskScheduledEventAttributes?.input?.payloads ??
        event.workflowExecutionStartedEventAttributes?.input?.payloads;
      if (payloads) decodedText.push(JSON.stringify(await decodeFromPayloadsAtIndex(converter, 0, payloads)));
    }
    expect(decodedText.join('\n')).toContain(MASK);
    expect(countFound(decodedText.join('\n'), [minted, ...pieces])).toBe(0);
  });
});
