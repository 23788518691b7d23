// The user's own documents, unchanged: refused by pre-flight before they touch anything; and, when
// forced past pre-flight, failing the way FACTS.md predicts, with messages that say what happened.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDocumentRoot } from '../../src/activities/config.js';
import { requestsWith, startRun, startWorker, testPolicy, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const PRISMA_SEED = 'seeds/prisma-postgres-rotate-connection-string.arazzo.yaml';
const DEEPGRAM_SEED = 'seeds/deepgram-rotate-project-key.arazzo.yaml';

describe('the seeds as given', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => env?.close());

  async function prismaSeedRun(preflight?: 'run-anyway') {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('seed');
    const worker = await startWorker(env, taskQueue);
    const input = {
      document: PRISMA_SEED,
      inputs: { apiToken: seeded.serviceToken, databaseId: seeded.databaseId, connectionName: 'rotated' },
      servers: { postgresManagementApi: prisma.baseUrl },
      preflight,
      stepTimeout: '5s',
    };
    return { prisma, seeded, taskQueue, worker, input };
  }

  async function deepgramSeedRun(preflight?: 'run-anyway') {
    const deepgram = await sims.deepgram();
    const admin = deepgram.seed({ scopes: ['admin'] });
    const old = deepgram.addKey(admin.projectId, { scopes: ['usage:write'] });
    const taskQueue = env.uniqueTaskQueue('seed');
    const worker = await startWorker(env, taskQueue);
    const input = {
      document: DEEPGRAM_SEED,
      inputs: {
        apiKey: admin.key,
        projectId: admin.projectId,
        oldKeyId: old.keyId,
        comment: 'rotated',
        scopes: ['usage:write'],
      },
      servers: { managementApi: deepgram.baseUrl },
      preflight,
      stepTimeout: '5s',
    };
    return { deepgram, admin, old, taskQueue, worker, input };
  }

  it('Prisma seed: refused by pre-flight with its findings, before a single request', async () => {
    const { prisma, taskQueue, worker, input } = await prismaSeedRun();
    const error = await worker.runUntil(startRun(env, taskQueue, input).then((h) => h.result().catch((e) => e)));
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const message: string = error.cause.cause.message;
    // The pointers outside the data envelope are warnings (the schema is open): only proven errors refuse.
    expect(message.split('\n')[0]).toBe(`pre-flight found 3 errors in ${PRISMA_SEED}; no request was sent:`);
    expect(message).toContain('expects 201, but createConnection declares 200 for success');
    expect(message).toContain('`active` is not one of failure, provisioning, ready, recovering');
    expect(message).not.toContain('preflight-undeclared-response-pointer');
    expect(message).toContain('`revokeOldConnection` deletes the item at position 0 of a list');
    expect(prisma.audit.entries.filter((e) => e.source === 'http')).toHaveLength(0);
  });

  it('Deepgram seed: refused by pre-flight with its findings, before a single request', async () => {
    const { deepgram, taskQueue, worker, input } = await deepgramSeedRun();
    const error = await worker.runUntil(startRun(env, taskQueue, input).then((h) => h.result().catch((e) => e)));
    const message: string = error.cause.cause.message;
    expect(message.split('\n')[0]).toBe(`pre-flight found 1 error in ${DEEPGRAM_SEED}; no request was sent:`);
    expect(message).toContain('expects 204, but deleteProjectKey declares 200 for success');
    expect(deepgram.audit.entries.filter((e) => e.source === 'http')).toHaveLength(0);
  });

  it('Prisma seed forced past pre-flight: stops at confirmDatabase before touching anything', async () => {
    const { prisma, taskQueue, worker, input } = await prismaSeedRun('run-anyway');
    const error = await worker.runUntil(startRun(env, taskQueue, input).then((h) => h.result().catch((e) => e)));
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(error.cause.message).toMatch(
      /^step 'confirmDatabase' failed: GET http:\/\/127\.0\.0\.1:\d+\/v1\/databases\/\S+ answered 200; /,
    );
    expect(error.cause.message).toMatch(
      /answered 200; \$\.status == "active": found nothing at \$\.status, expected "active"$/,
    );
    expect(requestsWith(prisma, 'GET')).toHaveLength(1);
    expect(requestsWith(prisma, 'POST')).toHaveLength(0);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
  });

  it('Deepgram seed forced past pre-flight: the old key is deleted, then the run reports why it failed', async () => {
    const { deepgram, old, taskQueue, worker, input } = await deepgramSeedRun('run-anyway');
    const error = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, input);
      const waiting = await waitForState(handle, 'awaiting-approval');
      await handle.signal('approve', {
        stepId: 'deleteOldKey',
        approvalId: waiting.pendingApproval!.approvalId,
        by: 'alice',
      });
      return handle.result().catch((e) => e);
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(error.cause.message).toMatch(
      /^step 'deleteOldKey' failed: DELETE http:\/\/127\.0\.0\.1:\d+\/v1\/projects\/\S+\/keys\/\S+ answered 200; \$statusCode == 204: found 200, expected 204\. The server accepted the DELETE \(HTTP 200\): the target is already deleted, although the document expected otherwise$/,
    );
    expect(deepgram.credentialWorks(old.key)).toBe(false);
    expect(deepgram.audit.revocations(old.keyId)).toHaveLength(1);
  });
});

describe('the Prisma seed with only its first step fixed: the dangerous case', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  let work: string;
  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-seed-variant-'));
  });
  afterAll(async () => {
    await env?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('the create succeeds (200, not 201): the run names the new id, keeps its secret delivered, and says how to clean up', async () => {
    // The seed unchanged but for confirmDatabase, made to check what the real API returns.
    const root = join(work, 'docs');
    cpSync(join(defaultDocumentRoot, 'openapi'), join(root, 'openapi'), { recursive: true });
    mkdirSync(join(root, 'seeds'));
    const seed = readFileSync(join(defaultDocumentRoot, PRISMA_SEED), 'utf8');
    const variant = seed
      .replace('condition: $.status == "active"', 'condition: $.data.status == "ready"')
      .replace('status: $response.body#/status', 'status: $response.body#/data/status');
    expect(variant).not.toBe(seed);
    writeFileSync(join(root, PRISMA_SEED), variant);
    const sinkDir = join(work, 'delivered');
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('seed-variant');
    const worker = await startWorker(
      env,
      taskQueue,
      testPolicy({ documentRoot: root, secrets: { envAllow: [], hostBindings: [], sinkDir } }),
    );
    const { parked, error } = await worker.runUntil(async () => {
      const handle = await startRun(env, taskQueue, {
        document: PRISMA_SEED,
        inputs: { apiToken: seeded.serviceToken, databaseId: seeded.databaseId, connectionName: 'rotated' },
        servers: { postgresManagementApi: prisma.baseUrl },
        preflight: 'run-anyway',
        stepTimeout: '5s',
      });
      const p = await waitForState(handle, 'needs-attention');
      await handle.executeUpdate('abort', {
        args: [{ by: 'operator', reason: 'cleaned up by hand', compensate: false }],
      });
      return { parked: p, error: await handle.result().catch((e) => e) };
    });
    const created = prisma.state.connections(seeded.databaseId).find((c) => c.id !== seeded.connectionId)!;
    expect(parked.attention?.stepId).toBe('createConnection');
    expect(parked.attention?.reason).toMatch(
      /^step 'createConnection' failed: POST http:\/\/127\.0\.0\.1:\d+\/v1\/databases\/\S+\/connections answered 200; \$statusCode == 201: found 200, expected 201$/,
    );
    expect(parked.attention?.known).toContain(
      `the server accepted createConnection (HTTP 200) and created ${created.id} (response /data/id)`,
    );
    expect(parked.attention?.known).toMatch(
      /its one-time secret at \/data\/endpoints\/direct\/connectionString: secret delivered to file:recovered-\S+-createConnection-\d\.txt \(fp [0-9a-f]{4}\)/,
    );
    expect(parked.attention?.options).toContain(
      `no x-compensation is declared for createConnection: delete ${created.id} at the provider, then abort with {"compensate": false}`,
    );
    // The secret was delivered (mode 0600) and works; it appears nowhere in what the run shows.
    const files = readdirSync(sinkDir).filter((f) => f.includes('createConnection'));
    const secrets = files.map((f) => readFileSync(join(sinkDir, f), 'utf8'));
    expect(secrets.some((s) => prisma.credentialWorks(s))).toBe(true);
    for (const f of files) expect(statSync(join(sinkDir, f)).mode & 0o777).toBe(0o600);
    const shown = JSON.stringify(parked);
    for (const s of secrets) expect(shown.includes(s)).toBe(false);
    // Ended by the operator: nothing revoked, the old connection still works, exactly one create.
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(error.cause.message).toBe('aborted by operator: cleaned up by hand');
    expect(requestsWith(prisma, 'POST')).toHaveLength(1);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(true);
  });
});
