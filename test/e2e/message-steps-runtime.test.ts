// The channel-step runtime against a real Kafka broker and a real dev server, with a plan given
// directly (the path nested runs use), so these tests pin the runtime alone: a send produces exactly
// one record with the step's headers, key and payload; a receive takes the first message after it
// began that carries its correlation id and satisfies its success criteria; two runs waiting on one
// topic each get their own message; a wait with no match fails at its timeout into onFailure.
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../src/arazzo/plan/types.js';
import { createActivities } from '../../src/activities/index.js';
import { progressQuery } from '../../src/workflows/contract.js';
import { startChannelRuntime, type StartedChannelRuntime } from '../../src/channels/runtime.js';
import { useKafkaBroker } from '../support/kafka.js';
import { startRun, testPolicy } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const kafka = useKafkaBroker();

function channelStep(
  stepId: string,
  action: 'send' | 'receive',
  address: string,
  extra: Partial<PlanStep> = {},
  host?: string,
): PlanStep {
  return {
    stepId,
    pointer: `/workflows/0/steps/${stepId}`,
    parameters: [],
    successCriteria: [],
    outputs: {},
    actions: { success: [], failure: [] },
    approval: 'none',
    message: {
      action,
      channel: {
        sourceName: 'orders',
        channelKey: address,
        address,
        server: { name: 'local', protocol: 'kafka', host: host ?? 'placeholder' },
        message: { name: 'm', contentType: 'application/json', correlationIdLocation: '$message.header#/requestId' },
      },
    },
    ...extra,
  };
}

function planOf(steps: PlanStep[], outputs: Record<string, string> = {}): Plan {
  return {
    document: { url: 'file:///test/orders.arazzo.yaml', title: 'orders' },
    workflowId: 'order',
    strict: false,
    workflows: { order: { workflowId: 'order', dependsOn: [], steps, outputs } },
  };
}

describe('channel steps at run time (Kafka)', () => {
  let env: TemporalTestEnv;
  let channels: StartedChannelRuntime;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  let host: string;

  beforeAll(async () => {
    env = await connectTestEnv();
    host = kafka.broker.bootstrap;
    channels = startChannelRuntime({ client: env.client, discoverEveryMs: 500 });
    taskQueue = env.uniqueTaskQueue('messages');
    worker = await env.createWorker({ taskQueue, activities: createActivities(testPolicy(), channels) });
    running = worker.run();
    await kafka.createTopics(['orders', 'confirmations']);
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await channels?.stop();
    await env?.close();
  });

  function orderPlan(timeoutMs: number): Plan {
    return planOf(
      [
        channelStep(
          'place',
          'send',
          'orders',
          {
            parameters: [{ name: 'requestId', in: 'header', value: '$inputs.requestId' }],
            requestBody: { contentType: 'application/json', payload: { petId: '$inputs.petId' } },
          },
          host,
        ),
        channelStep(
          'confirm',
          'receive',
          'confirmations',
          {
            timeoutMs,
            outputs: { orderId: '$message.payload#/orderId' },
            actions: {
              success: [],
              failure: [
                {
                  name: 'noConfirmation',
                  type: 'end',
                  criteria: [],
                  origin: 'step',
                  level: 'step',
                  pointer: '/workflows/0/steps/1/onFailure/0',
                },
              ],
            },
          },
          host,
        ),
      ],
      { orderId: '$steps.confirm.outputs.orderId', offset: '$steps.place.outputs.offset' },
    );
  }

  it('sends one record, then takes only the confirmation with its own correlation id', async () => {
    const plan = orderPlan(60_000);
    // Each run's step: correlationId is its own input.
    for (const step of plan.workflows.order.steps)
      if (step.message?.action === 'receive') step.message.correlationId = '$inputs.requestId';
    const a = await startRun(
      env,
      taskQueue,
      { document: 'orders', plan, inputs: { requestId: 'req-a', petId: 1 } },
      `${taskQueue}-a`,
    );
    const b = await startRun(
      env,
      taskQueue,
      { document: 'orders', plan, inputs: { requestId: 'req-b', petId: 2 } },
      `${taskQueue}-b`,
    );
    const sent = await kafka.readMessages('orders', 2, 30_000);
    expect(sent.map((m) => m.headers.requestId).sort()).toEqual(['req-a', 'req-b']);
    expect(sent.map((m) => m.key).sort()).toEqual(['req-a', 'req-b']);
    expect(sent.every((m) => m.headers['arazzo-message-id']?.includes('/place#1'))).toBe(true);
    const producer = await kafka.producer();
    // b's confirmation first, then a message without correlation, then a's.
    await producer.send({
      topic: 'confirmations',
      messages: [{ headers: { requestId: 'req-b' }, value: JSON.stringify({ orderId: 22 }) }],
    });
    await producer.send({ topic: 'confirmations', messages: [{ value: JSON.stringify({ orderId: 0 }) }] });
    await producer.send({
      topic: 'confirmations',
      messages: [{ headers: { requestId: 'req-a' }, value: JSON.stringify({ orderId: 11 }) }],
    });
    const [ra, rb] = await Promise.all([a.result(), b.result()]);
    expect(ra.status).toBe('completed');
    expect(ra.outputs.orderId).toBe(11);
    expect(rb.outputs.orderId).toBe(22);
    // The record each run sent is where the broker put it.
    expect(sent.map((m) => m.offset).sort()).toEqual([ra.outputs.offset, rb.outputs.offset].sort());
  }, 90_000);

  it('fails at its timeout into onFailure when no message matches', async () => {
    const plan = orderPlan(3_000);
    for (const step of plan.workflows.order.steps)
      if (step.message?.action === 'receive') step.message.correlationId = '$inputs.requestId';
    const handle = await startRun(
      env,
      taskQueue,
      { document: 'orders', plan, inputs: { requestId: 'req-none', petId: 3 } },
      `${taskQueue}-timeout`,
    );
    const producer = await kafka.producer();
    await producer.send({
      topic: 'confirmations',
      messages: [{ headers: { requestId: 'someone-else' }, value: '{"orderId":5}' }],
    });
    // The failure action `end` ends the run as failed, naming the step and its timeout.
    const failure = await handle.result().then(
      () => undefined,
      (err: Error & { cause?: Error }) => err,
    );
    expect(String(failure?.cause?.message ?? failure)).toMatch(
      /noConfirmation.*did not complete within the step's timeout of 3000 ms|timeout/,
    );
    const progress = await handle.query(progressQuery);
    const confirm = progress.steps.find((s) => s.stepId === 'confirm');
    expect(confirm?.status).toBe('failed');
    expect(confirm?.message).toMatch(/timed out after 3000 ms/);
    expect(progress.waitingForMessage).toBeUndefined();
  }, 60_000);
});
