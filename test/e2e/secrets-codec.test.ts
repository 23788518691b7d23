// The codec server decodes for the `temporal` CLI, answers only the UI's origin, demands its token
// (or runs without one only when told to); and key rotation: a run started under key A finishes after key B becomes current,
// and its history (payloads under both keys) still decodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodecServer, startCodecServer } from '../../src/codec/codec-server.js';
import { createDataConverter } from '../../src/codec/data-converter.js';
import { EncryptionCodec } from '../../src/codec/encryption-codec.js';
import { newKey } from '../../src/codec/keys.js';
import { createActivities } from '../../src/activities/index.js';
import { Client } from '@temporalio/client';
import { PRISMA_DOC, testPolicy, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { temporalCli } from './secrets-support.js';

describe('secrets: codec server and key rotation', () => {
  let env: TemporalTestEnv;
  const sims = useSimulators();
  const keyA = newKey('rot-a');
  const keyB = newKey('rot-b');
  const servers: CodecServer[] = [];
  const codecLog: string[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await env?.close();
  });

  const TOKEN = 'codec-test-token-0123456789';
  const AUTH = `Bearer ${TOKEN}`;

  async function codecServer(keys = [keyA, keyB], token = TOKEN) {
    const server = await startCodecServer({
      codec: new EncryptionCodec(keys),
      port: 0,
      token,
      allowedOrigins: [env.uiUrl],
      log: (l) => codecLog.push(l),
    });
    servers.push(server);
    return server;
  }

  it('a run started under key A completes after key B becomes current; its history decodes with both keys', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = env.uniqueTaskQueue('sec-rotate-key');
    const underA = createDataConverter([keyA]);
    const underAB = createDataConverter([keyA, keyB]);
    const clientA = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: underA });
    const clientAB = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: underAB });
    const activities = createActivities(testPolicy());

    const workerA = await env.createWorker({ taskQueue, activities, dataConverter: underA });
    const handle = await clientA.workflow.start('arazzoRun', {
      taskQueue,
      workflowId: `${taskQueue}-run`,
      args: [
        {
          document: PRISMA_DOC,
          inputs: {
            apiToken: seeded.serviceToken,
            databaseId: seeded.databaseId,
            oldConnectionId: seeded.connectionId,
            newName: `rotation-${taskQueue.slice(-8)}`,
          },
          servers: { prismaManagementApi: prisma.baseUrl },
          approval: { timeout: '2m' },
          stepTimeout: '5s',
        },
      ],
    });
    const waiting = await workerA.runUntil(() => waitForState(handle, 'awaiting-approval'));

    // Key B is now current: a new worker and client; the run continues from a history written under A.
    const workerB = await env.createWorker({ taskQueue, activities, dataConverter: underAB });
    const result = await workerB.runUntil(async () => {
      const handleB = clientAB.workflow.getHandle(handle.workflowId);
      await handleB.executeUpdate('approve', {
        args: [{ stepId: 'revokeOldConnection', approvalId: waiting.pendingApproval!.approvalId, by: 'alice' }],
      });
      return handleB.result();
    });
    expect((result as { status: string }).status).toBe('completed');
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);

    // Raw history: payloads under both key ids.
    const raw = await temporalCli(['workflow', 'show', '-w', handle.workflowId, '--output', 'json'], env);
    const keyIds = new Set(
      [...raw.stdout.matchAll(/"encryption-key-id":\s*"([^"]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString()),
    );
    expect([...keyIds].sort()).toEqual(['rot-a', 'rot-b']);
    console.log(`history payload key ids: ${[...keyIds].sort().join(', ')}`);

    // Decodes through a codec server holding both keys; one holding only B cannot decode A's payloads.
    const both = await codecServer([keyA, keyB]);
    const shown = await temporalCli(
      [
        'workflow',
        'show',
        '-w',
        handle.workflowId,
        '--output',
        'json',
        '--codec-endpoint',
        both.url,
        '--codec-auth',
        AUTH,
      ],
      env,
    );
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('YmluYXJ5L2VuY3J5cHRlZA=='); // no payload left encrypted
    const onlyB = await codecServer([keyB]);
    const failed = await temporalCli(
      [
        'workflow',
        'show',
        '-w',
        handle.workflowId,
        '--output',
        'json',
        '--codec-endpoint',
        onlyB.url,
        '--codec-auth',
        AUTH,
      ],
      env,
    );
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}${failed.stderr}`).not.toContain(seeded.serviceToken);
  });

  it('answers the UI origin, refuses other origins, requires its token, and runs without one only when told to', async () => {
    const open = await codecServer();
    const encoded = await new EncryptionCodec([keyA, keyB]).encode([
      { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"hello"') },
    ]);
    const body = JSON.stringify({
      payloads: encoded.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
        ),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    });
    const post = (url: string, headers: Record<string, string>) =>
      fetch(`${url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const fromUi = await post(open.url, { origin: env.uiUrl, 'x-namespace': env.namespace, authorization: AUTH });
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(env.uiUrl);
    const decoded = (await fromUi.json()) as { payloads: Array<{ data: string }> };
    expect(Buffer.from(decoded.payloads[0].data, 'base64').toString()).toBe('"hello"');

    const preflight = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: env.uiUrl,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const evil = await post(open.url, { origin: 'http://evil.example', authorization: AUTH });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const evilPreflight = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example' },
    });
    expect(evilPreflight.status).toBe(403);

    expect((await post(open.url, {})).status).toBe(401);
    expect((await post(open.url, { origin: env.uiUrl })).status).toBe(401);
    expect((await post(open.url, { authorization: 'Bearer wrong' })).status).toBe(401);

    // No token is a choice the caller makes explicitly, and only on loopback.
    await expect(startCodecServer({ codec: new EncryptionCodec([keyA]), port: 0 })).rejects.toThrow(/needs a token/);
    await expect(
      startCodecServer({ codec: new EncryptionCodec([keyA]), host: '0.0.0.0', port: 0, insecureNoAuth: true }),
    ).rejects.toThrow(/not loopback: set a token/);
    const insecure = await startCodecServer({
      codec: new EncryptionCodec([keyA, keyB]),
      port: 0,
      insecureNoAuth: true,
    });
    servers.push(insecure);
    expect((await post(insecure.url, {})).status).toBe(200);
    // the log has request lines only, no payloads
    expect(codecLog.join('\n')).not.toContain(body.slice(20, 60));
    for (const line of codecLog) expect(line).toMatch(/^codec (POST|OPTIONS) \/(en|de)code \d{3} payloads=\d+ \d+ms$/);
  });

  it('the CLI decodes through a token-protected codec server with --codec-auth', async () => {
    const env2 = env;
    const taskQueue = env2.uniqueTaskQueue('sec-codec-cli');
    const worker = await env2.createWorker({ taskQueue, activities: { fetchStatus: async () => 204 } });
    const handle = await env2.client.workflow.start('fetchStatusWorkflow', {
      taskQueue,
      workflowId: `${taskQueue}-run`,
      args: ['http://127.0.0.1:9/never-called'],
    });
    await worker.runUntil(() => handle.result());
    const { getEncryptionCodec } = await import('../../src/codec/data-converter.js');
    const locked = await startCodecServer({ codec: getEncryptionCodec()!, port: 0, token: 'cli-token' });
    servers.push(locked);
    const args = ['workflow', 'result', '-w', handle.workflowId, '--output', 'json', '--codec-endpoint', locked.url];
    const without = await temporalCli([...args, '--command-timeout', '5s'], env2);
    expect(without.stdout).not.toContain('status 204');
    const withAuth = await temporalCli([...args, '--codec-auth', 'Bearer cli-token'], env2);
    expect(withAuth.code).toBe(0);
    expect(withAuth.stdout).toContain('status 204');
  });
});
