// A receive step's wait survives what kills a consumer loop: the worker SIGKILLed mid-wait, the reply
// published while no worker runs, the broker stopped for a while. Each run completes with the right
// message exactly once (one accepted `deliverMessage` in its history, its own orderId), and the order was
// placed once (the send completed before the crash and is never repeated). Real parts throughout: worker
// processes (test/support/worker-process.ts, with the channel listener), a Kafka broker, the pet store, and
// the order application holding its replies until the test releases them.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressQuery } from '../../src/workflows/contract.js';
import type { RunProgress } from '../../src/workflows/types.js';
import { type OrderResponder, startOrderResponder } from '../../src/simulators/order-responder.js';
import { type PetstoreSimulator, startPetstoreSimulator } from '../../src/simulators/petstore.js';
import { useKafkaBroker } from '../support/kafka.js';
import { acceptedMessages } from '../support/messages.js';
import { startRun } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-processes.js';

const example = fileURLToPath(new URL('../../arazzo/examples/pet-asyncapi/', import.meta.url));
const kafka = useKafkaBroker();

describe('a receive wait across crashes (Kafka)', () => {
  let env: TemporalTestEnv;
  let petstore: PetstoreSimulator;
  let responder: OrderResponder;
  let documents: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    petstore = await startPetstoreSimulator({ port: 0 });
    responder = await startOrderResponder({ bootstrap: kafka.broker.bootstrap, autoReply: false, firstOrderId: 900 });
    // The example with a wait long enough to outlive the crashes below (the spec's 6 s would expire first).
    documents = mkdtempSync(join(tmpdir(), 'pet-crash-'));
    cpSync(example, documents, { recursive: true });
    const doc = join(documents, 'pet-purchase.arazzo.yaml');
    writeFileSync(doc, readFileSync(doc, 'utf8').replace('timeout: 6000', 'timeout: 180000'));
  }, 120_000);
  afterAll(async () => {
    for (const w of workers.splice(0)) if (w.exitCode === null) w.kill('SIGKILL');
    await responder?.stop();
    await petstore?.close();
    await env?.close();
    rmSync(documents, { recursive: true, force: true });
  });

  async function startWorker(taskQueue: string): Promise<ChildProcess> {
    const worker = await spawnWorkerProcess(env, taskQueue, {
      ARAZZO_DOCUMENT_ROOT: documents,
      ARAZZO_CHANNEL_DISCOVER_MS: '500',
    });
    workers.push(worker);
    return worker;
  }

  async function kill(worker: ChildProcess) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }

  async function startPurchase(taskQueue: string, name: string) {
    const seeded = petstore.seed();
    const orderCorrelationId = `order-${randomUUID()}`;
    const handle = await startRun(
      env,
      taskQueue,
      {
        document: 'pet-purchase.arazzo.yaml',
        inputs: { username: seeded.username, password: seeded.password, orderCorrelationId },
        servers: { petStoreDescription: petstore.baseUrl, asyncOrderApiDescription: kafka.broker.bootstrap },
      },
      `${taskQueue}-${name}`,
    );
    return { handle, orderCorrelationId };
  }

  /** Until the run waits at its receive step (the order was placed, the wait's start recorded). */
  async function waitingForReply(handle: { query: (q: typeof progressQuery) => Promise<RunProgress> }) {
    for (let i = 0; i < 600; i++) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress?.waitingForMessage) return progress;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the run never waited for its reply');
  }

  /** The held request of this order, released: its reply is published now. */
  async function reply(orderCorrelationId: string) {
    // The run waiting for its reply does not mean the responder has consumed its request yet (under
    // load it lags): wait for this order's request itself.
    for (const until = Date.now() + 30_000; Date.now() < until; ) {
      if (responder.pending.some((r) => r.orderRequestId === orderCorrelationId)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const [sent] = await responder.release((r) => r.orderRequestId === orderCorrelationId);
    expect(sent?.orderRequestId).toBe(orderCorrelationId);
    return sent;
  }

  async function expectCompletedOnce(run: Awaited<ReturnType<typeof startPurchase>>, orderId: number): Promise<void> {
    const result = await run.handle.result();
    expect(result.status).toBe('completed');
    expect(result.outputs).toEqual({ orderId });
    expect(acceptedMessages(await run.handle.fetchHistory())).toBe(1);
    const placed = await kafka.readMessages('place-order', responder.replies.length + responder.pending.length, 30_000);
    expect(placed.filter((m) => m.headers.orderRequestId === run.orderCorrelationId)).toHaveLength(1);
  }

  it('worker killed mid-wait, the reply published while no worker runs, then a new worker', async () => {
    const taskQueue = env.uniqueTaskQueue('pet-crash');
    const first = await startWorker(taskQueue);
    const run = await startPurchase(taskQueue, 'offline-reply');
    await waitingForReply(run.handle);
    await kill(first);
    const sent = await reply(run.orderCorrelationId);
    await new Promise((r) => setTimeout(r, 1_000));
    await startWorker(taskQueue);
    await expectCompletedOnce(run, sent.orderId);
  }, 180_000);

  it('worker killed mid-wait, a new worker, then the reply', async () => {
    const taskQueue = env.uniqueTaskQueue('pet-crash');
    const first = await startWorker(taskQueue);
    const run = await startPurchase(taskQueue, 'reply-after-restart');
    await waitingForReply(run.handle);
    await kill(first);
    await startWorker(taskQueue);
    await new Promise((r) => setTimeout(r, 2_000));
    const sent = await reply(run.orderCorrelationId);
    await expectCompletedOnce(run, sent.orderId);
  }, 180_000);

  it('the broker stopped for a while during the wait', async () => {
    const taskQueue = env.uniqueTaskQueue('pet-crash');
    await startWorker(taskQueue);
    const run = await startPurchase(taskQueue, 'broker-down');
    await waitingForReply(run.handle);
    await kafka.broker.halt();
    await new Promise((r) => setTimeout(r, 5_000));
    await kafka.broker.start();
    // The run still waits; the application, back on the broker, replies.
    expect((await run.handle.query(progressQuery)).waitingForMessage?.correlationId).toBe(run.orderCorrelationId);
    const sent = await reply(run.orderCorrelationId);
    await expectCompletedOnce(run, sent.orderId);
  }, 180_000);

  it('two runs waiting on one topic each take their own reply, released in reverse order', async () => {
    const taskQueue = env.uniqueTaskQueue('pet-pair');
    await startWorker(taskQueue);
    const a = await startPurchase(taskQueue, 'a');
    const b = await startPurchase(taskQueue, 'b');
    await waitingForReply(a.handle);
    await waitingForReply(b.handle);
    const forB = await reply(b.orderCorrelationId);
    const forA = await reply(a.orderCorrelationId);
    expect(forA.orderId).not.toBe(forB.orderId);
    await expectCompletedOnce(a, forA.orderId);
    await expectCompletedOnce(b, forB.orderId);
  }, 180_000);
});
