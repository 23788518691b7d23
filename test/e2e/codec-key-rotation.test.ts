// Two-phase key rotation with a worker process that is never restarted. The worker reads its keys
// from a key file (key A encrypts). `npm run codec-server -- --new-key` adds key B for decryption
// only: the worker picks it up by itself, so a client that already encrypts with B is understood,
// while the worker keeps encrypting with A. `--promote B` then makes B the encrypting key, and the
// same worker writes the next run's payloads under B. A codec server started before the rotation
// decodes both runs' histories (payloads under A and B) without a restart either.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import protos, { type temporal } from '@temporalio/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDataConverter } from '../../src/codec/data-converter.js';
import { type CodecKey, newKey, readKeyFile, writeKeyFile } from '../../src/codec/keys.js';
import { approveSignal, approveUpdate, WORKFLOW_TYPE } from '../../src/workflows/contract.js';
import type { ArazzoRunResult } from '../../src/workflows/types.js';
import { projectRoot } from '../support/cli.js';
import { prismaRotationInput, waitForState } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-processes.js';
import { temporalCli } from './secrets-support.js';

const codecCli = join(projectRoot, 'src', 'codec', 'cli.ts');

/** `npm run codec-server -- <args>` as a process, against the given key file. */
function codecServerCli(args: string[], keyFile: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', codecCli, ...args],
      {
        cwd: projectRoot,
        timeout: 60_000,
        env: { ...process.env, ARAZZO_CODEC_KEYS: '', ARAZZO_CODEC_KEY_FILE: keyFile, ARAZZO_CODEC_PORT: '0' },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** The key id of every encrypted payload in one history event. */
function keyIdsOf(event: temporal.api.history.v1.IHistoryEvent): string[] {
  const ids: string[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) return;
    const o = v as Record<string, unknown>;
    const metadata = o.metadata as Record<string, Uint8Array> | undefined;
    if (metadata && o.data !== undefined && metadata['encryption-key-id']) {
      ids.push(Buffer.from(metadata['encryption-key-id']).toString());
      return;
    }
    for (const child of Object.values(o)) walk(child);
  };
  walk(event);
  return ids;
}

/** Event type → key ids, for the events of a run's history. */
async function keyIdsByEvent(handle: WorkflowHandle): Promise<Array<[string, string[]]>> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((e) => [protos.temporal.api.enums.v1.EventType[e.eventType ?? 0], keyIdsOf(e)]);
}

describe('codec: two-phase key rotation without restarting the worker', () => {
  let env: TemporalTestEnv;
  let work: string;
  let worker: ChildProcess | undefined;
  let codecServer: ChildProcess | undefined;
  const sims = useSimulators();

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-rotation-'));
  });
  afterEach(() => {
    for (const child of [worker, codecServer]) if (child && child.exitCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function startWorkerProcess(taskQueue: string, keyFile: string): Promise<ChildProcess> {
    return spawnWorkerProcess(env, taskQueue, { ARAZZO_CODEC_KEYS: '', ARAZZO_CODEC_KEY_FILE: keyFile });
  }

  /** `npm run codec-server` on a free port, keys from the key file, its token in the work directory. */
  async function startCodecServerProcess(keyFile: string): Promise<{ url: string; tokenFile: string }> {
    const tokenFile = join(work, 'codec-token');
    codecServer = spawn(process.execPath, ['--import', 'tsx', codecCli], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ARAZZO_CODEC_KEYS: '',
        ARAZZO_CODEC_KEY_FILE: keyFile,
        ARAZZO_CODEC_PORT: '0',
        ARAZZO_CODEC_TOKEN_FILE: tokenFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    codecServer.stdout?.on('data', (d) => (output += d));
    codecServer.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const url = /codec server on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) return { url, tokenFile };
      if (codecServer.exitCode !== null || Date.now() > deadline)
        throw new Error(`codec server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const clientWith = (ring: CodecKey[]) =>
    new Client({ connection: env.connection, namespace: env.namespace, dataConverter: createDataConverter(ring) });

  async function completedWithin(handle: WorkflowHandle, ms: number): Promise<ArazzoRunResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return (await Promise.race([
        handle.result(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`run ${handle.workflowId} did not finish within ${ms} ms`)), ms);
        }),
      ])) as ArazzoRunResult;
    } finally {
      clearTimeout(timer);
    }
  }

  it('adds B decrypt-only (the running worker decodes B at once), then promotes B (the worker encrypts with B)', async () => {
    const keyFile = join(work, 'codec-keys.json');
    const keyA = newKey('rot2-a');
    writeKeyFile(keyFile, [keyA]);
    const taskQueue = env.uniqueTaskQueue('two-phase');
    worker = await startWorkerProcess(taskQueue, keyFile);
    const pid = worker.pid;
    const codec = await startCodecServerProcess(keyFile);
    const codecPid = codecServer!.pid;

    // Run 1 starts under A and waits for approval.
    const prisma = await sims.prisma();
    const first = prisma.seed();
    const clientA = clientWith([keyA]);
    const run1 = await clientA.workflow.start(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: `${taskQueue}-1`,
      args: [prismaRotationInput(prisma, first, taskQueue)],
    });
    const waiting1 = await waitForState(run1, 'awaiting-approval');

    // Phase 1: B is added, decrypt-only. The file still encrypts with A.
    const added = await codecServerCli(['--new-key'], keyFile);
    expect(added.code, added.output).toBe(0);
    const keyBId = /codec key (\S+)/.exec(added.output)![1];
    expect(added.output).toMatch(/decrypt-only/);
    const ring = readKeyFile(keyFile);
    expect(ring.map((k) => k.id).sort()).toEqual([keyA.id, keyBId].sort());
    expect(ring.at(-1)!.id).toBe(keyA.id); // the encrypting key
    const keyB = ring.find((k) => k.id === keyBId)!;

    // A client that already encrypts with B (it was promoted there first): the worker understands it.
    const clientB = clientWith([keyA, keyB]);
    await clientB.workflow.getHandle(run1.workflowId).signal(approveSignal, {
      stepId: waiting1.pendingApproval!.stepId,
      approvalId: waiting1.pendingApproval!.approvalId,
      by: 'alice',
    });
    const result1 = await completedWithin(run1, 60_000);
    expect(result1.status).toBe('completed');
    expect(result1.approvals.map((a) => [a.decision, a.by, a.via])).toEqual([['approved', 'alice', 'signal']]);
    const events1 = await keyIdsByEvent(run1);
    const signalled = events1.findIndex(([type]) => type === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
    expect(events1[signalled][1]).toEqual([keyB.id]);
    // Everything the worker wrote after the signal is still under A (B only decrypts so far).
    const workerWritten = events1.slice(signalled + 1).flatMap(([, ids]) => ids);
    expect(workerWritten.length).toBeGreaterThan(0);
    expect(new Set(workerWritten)).toEqual(new Set([keyA.id]));

    // Phase 2: B is promoted; the same worker process encrypts the next run's payloads with B.
    const promoted = await codecServerCli(['--promote', keyB.id], keyFile);
    expect(promoted.code, promoted.output).toBe(0);
    expect(readKeyFile(keyFile).at(-1)!.id).toBe(keyB.id);
    await new Promise((r) => setTimeout(r, 1100)); // running processes look at the file at most once a second
    const second = prisma.seed();
    const run2 = await clientB.workflow.start(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: `${taskQueue}-2`,
      args: [prismaRotationInput(prisma, second, `${taskQueue}-2`)],
    });
    const waiting2 = await waitForState(run2, 'awaiting-approval');
    await clientB.workflow.getHandle(run2.workflowId).executeUpdate(approveUpdate, {
      args: [{ stepId: waiting2.pendingApproval!.stepId, approvalId: waiting2.pendingApproval!.approvalId, by: 'bob' }],
    });
    expect((await completedWithin(run2, 60_000)).status).toBe('completed');
    const events2 = await keyIdsByEvent(run2);
    const completed = events2.find(([type]) => type === 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED')!;
    expect(completed[1]).toEqual([keyB.id]);
    const scheduled = events2.filter(([type]) => type === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(new Set(scheduled.flatMap(([, ids]) => ids))).toEqual(new Set([keyB.id]));

    // The codec server started before the rotation decodes both histories, under A and B.
    const auth = `Bearer ${readFileSync(codec.tokenFile, 'utf8').trim()}`;
    for (const run of [run1, run2]) {
      const shown = await temporalCli(
        [
          'workflow',
          'show',
          '-w',
          run.workflowId,
          '--output',
          'json',
          '--codec-endpoint',
          codec.url,
          '--codec-auth',
          auth,
        ],
        env,
      );
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
      expect(shown.stdout).not.toContain(Buffer.from('binary/encrypted').toString('base64'));
    }

    // One worker process and one codec server process throughout.
    expect(worker.pid).toBe(pid);
    expect(worker.exitCode).toBeNull();
    expect(codecServer!.pid).toBe(codecPid);
    expect(codecServer!.exitCode).toBeNull();
    expect(prisma.credentialWorks(first.connectionString)).toBe(false);
    expect(prisma.credentialWorks(second.connectionString)).toBe(false);
  });
});
