// Scenario 5: many runs waiting at an Arazzo 1.1 `receive` step on one Kafka topic at once. What a waiting
// run costs the worker (memory; activity slots: none, the wait is a timer and an update handler in the
// workflow, fed by the worker's channel listener), then the latency from publishing a reply to the step's
// completion (the run ends right after it), against a plain kafkajs consumer of the same topic timing the
// same messages in the same session: the ratio is what the durable wait adds to a bare consumer loop.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaBroker } from '../../src/devbroker/kafka-broker.js';
import { WORKFLOW_TYPE } from '../../src/workflows/contract.js';
import type { ArazzoRunResult } from '../../src/workflows/types.js';
import type { BenchEnv } from '../lib/environment.js';
import { kib, mib, num, type Table } from '../lib/format.js';
import { median, percentile } from '../lib/stats.js';
import { nowMs, pool, sleep } from '../lib/time.js';
import type { BenchParams } from '../params.js';

const TOPIC = 'confirm-order';
const DOCUMENT = 'bench/fixtures/message-wait.arazzo.yaml';

export interface WaitingResult {
  runs: number;
  secondsToWait: number;
  workerRssMiB: { idle: number; waiting: number };
  rssKiBPerWaitingRun: number;
  activitiesInFlightWhileWaiting: number;
  listenerWaits: number;
  latencyMs: { median: number; p95: number; consumerMedian: number };
  secondsToDrain: number;
  tables: Table[];
}

export async function runWaiting(env: BenchEnv, params: BenchParams): Promise<WaitingResult> {
  const n = params.waiting.runs;
  const broker = await startKafkaBroker();
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `bench-baseline-${randomUUID()}` });
  const worker = await env.startWorker('interpreter', { channels: true });
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await producer.connect();
    // The baseline: a bare consumer loop of the same topic, timing when each reply reaches it.
    const consumedAt = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.headers?.orderRequestId?.toString();
        if (id) consumedAt.set(id, nowMs());
      },
    });

    // Warm-up: one run waits and is answered, so the idle figure already includes the analysed document, the
    // listener's consumer and the broker connections (what every waiting run shares, not what each costs).
    const warmId = `bench-warm-${randomUUID().slice(0, 8)}`;
    const warm = await env.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: worker.taskQueue,
      workflowId: `${worker.taskQueue}-warm`,
      args: [{ document: DOCUMENT, inputs: { orderRequestId: warmId }, servers: { orders: broker.bootstrap } }],
    });
    while (
      (await env.client.workflow.count(`WorkflowId = '${warm.workflowId}' AND ArazzoWaitingOn IS NOT NULL`)).count < 1
    ) {
      await sleep(200);
    }
    await producer.send({ topic: TOPIC, messages: [{ headers: { orderRequestId: warmId }, value: '{"orderId":-1}' }] });
    await warm.result();

    const idle = await worker.usage();
    const start = nowMs();
    const ids = Array.from({ length: n }, (_, i) => `bench-${i}-${randomUUID().slice(0, 8)}`);
    const handles: WorkflowHandle[] = await pool(n, 50, (i) =>
      env.client.workflow.start(WORKFLOW_TYPE, {
        taskQueue: worker.taskQueue,
        workflowId: `${worker.taskQueue}-${i}`,
        args: [{ document: DOCUMENT, inputs: { orderRequestId: ids[i] }, servers: { orders: broker.bootstrap } }],
      }),
    );
    const query = `TaskQueue = '${worker.taskQueue}' AND ArazzoWaitingOn IS NOT NULL AND ExecutionStatus = 'Running'`;
    const deadline = Date.now() + 30 * 60_000;
    while ((await env.client.workflow.count(query)).count < n) {
      if (Date.now() > deadline) throw new Error('runs did not all reach their receive step in 30 minutes');
      await sleep(500);
    }
    const secondsToWait = (nowMs() - start) / 1000;
    await sleep(3_000); // the listener's discovery settles
    const waiting = await worker.usage();

    const reply = (i: number) =>
      producer.send({
        topic: TOPIC,
        messages: [{ headers: { orderRequestId: ids[i] }, value: JSON.stringify({ orderId: i }) }],
      });
    const expectCompleted = async (i: number) => {
      const result = (await handles[i].result()) as ArazzoRunResult;
      if (result.status !== 'completed' || result.outputs.orderId !== i) {
        throw new Error(`${handles[i].workflowId} ended ${result.status} with ${JSON.stringify(result.outputs)}`);
      }
    };
    // One at a time: publish → the run's receive completed (and the run with it); the bare consumer alongside.
    const samples = Math.min(params.waiting.latencySamples, n);
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = nowMs();
      await reply(i);
      await expectCompleted(i);
      ours.push(nowMs() - t0);
      for (let w = 0; w < 100 && !consumedAt.has(ids[i]); w++) await sleep(20);
      bare.push((consumedAt.get(ids[i]) ?? Number.NaN) - t0);
    }
    // Then every other reply at once, until every run has completed.
    const drainStart = nowMs();
    await pool(n - samples, 50, (k) => reply(samples + k));
    await pool(n - samples, 50, (k) => expectCompleted(samples + k));
    const secondsToDrain = (nowMs() - drainStart) / 1000;

    const latency = { median: median(ours), p95: percentile(ours, 95), consumerMedian: median(bare) };
    const perRun = (waiting.rssBytes - idle.rssBytes) / n;
    const r = {
      runs: n,
      secondsToWait,
      workerRssMiB: { idle: mib(idle.rssBytes), waiting: mib(waiting.rssBytes) },
      rssKiBPerWaitingRun: kib(perRun),
      activitiesInFlightWhileWaiting: waiting.activitiesInFlight,
      listenerWaits: waiting.listenerWaits,
      latencyMs: latency,
      secondsToDrain,
    };
    return {
      ...r,
      tables: [
        {
          title: `5. ${n} runs waiting at a receive step on one Kafka topic at once`,
          columns: ['measurement', 'value'],
          rows: [
            ['time until all were waiting (s)', num(secondsToWait)],
            [
              'worker RSS idle → all waiting (MiB)',
              `${num(r.workerRssMiB.idle, 0)} → ${num(r.workerRssMiB.waiting, 0)}`,
            ],
            ['worker RSS per waiting run (KiB)', num(r.rssKiBPerWaitingRun, 1)],
            ['activities in flight while all wait (slots held)', String(r.activitiesInFlightWhileWaiting)],
            ['activity slots per waiting run', num(r.activitiesInFlightWhileWaiting / n, 2)],
            ["waits the worker's channel listener feeds", String(r.listenerWaits)],
            [`publish → step completed, median of ${samples} (ms)`, num(latency.median, 0)],
            [`publish → step completed, p95 of ${samples} (ms)`, num(latency.p95, 0)],
            ['publish → a bare kafkajs consumer, median (ms; baseline)', num(latency.consumerMedian, 0)],
            [
              'ratio: durable wait / bare consumer (median latency)',
              `${num(latency.median / latency.consumerMedian, 1)}x`,
            ],
            [`the other ${n - samples} replies at once → all completed (s)`, num(secondsToDrain)],
          ],
          notes: [
            'A waiting run holds no activity: its receive is a workflow timer plus the deliverMessage update, and one listener per worker reads the topic for all of them (ARCHITECTURE.md, Message steps). The bare consumer only receives; the durable path also proposes the message to the run (an update: a workflow task and a history write) and completes it.',
          ],
        },
      ],
    };
  } finally {
    await worker.stop();
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await broker.stop();
  }
}
