// The Arazzo 1.1 specification's pet-purchase example, end to end, against real parts: the pet store over
// loopback HTTP (src/simulators/petstore.ts), a real Kafka broker, and the application that takes orders
// on `place-order` and replies on `confirm-order` (src/simulators/order-responder.ts). The document is the
// spec's example corrected where it cannot run (arazzo/examples/pet-asyncapi/pet-purchase.arazzo.yaml says
// what and why); its AsyncAPI description is the spec's own file.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrderResponder, startOrderResponder } from '../../src/simulators/order-responder.js';
import { type PetstoreSimulator, startPetstoreSimulator } from '../../src/simulators/petstore.js';
import { useKafkaBroker } from '../support/kafka.js';
import { acceptedMessages, type ChannelWorker, startChannelWorker } from '../support/messages.js';
import { startRun, testPolicy } from '../support/rotation.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const PET_PURCHASE = 'arazzo/examples/pet-asyncapi/pet-purchase.arazzo.yaml';
const kafka = useKafkaBroker();

describe('the spec pet-purchase example (HTTP + Kafka)', () => {
  let env: TemporalTestEnv;
  let petstore: PetstoreSimulator;
  let responder: OrderResponder;
  let worker: ChannelWorker;
  let taskQueue: string;

  beforeAll(async () => {
    env = await connectTestEnv();
    petstore = await startPetstoreSimulator({ port: 0 });
    responder = await startOrderResponder({ bootstrap: kafka.broker.bootstrap, firstOrderId: 700 });
    taskQueue = env.uniqueTaskQueue('pet-purchase');
    worker = await startChannelWorker(env, taskQueue, testPolicy({ documentRoot: repoRoot }));
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await responder?.stop();
    await petstore?.close();
    await env?.close();
  });

  it('logs in, finds a pet, places the order on Kafka and takes its own confirmation', async () => {
    const seeded = petstore.seed();
    const orderCorrelationId = `order-${randomUUID()}`;
    const handle = await startRun(env, taskQueue, {
      document: PET_PURCHASE,
      inputs: { username: seeded.username, password: seeded.password, orderCorrelationId },
      servers: { petStoreDescription: petstore.baseUrl, asyncOrderApiDescription: kafka.broker.bootstrap },
    });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    // One order placed, for the first available pet, answered once; the run took that answer.
    const firstAvailable = seeded.pets.find((p) => p.status === 'available')!;
    expect(responder.replies.filter((r) => r.orderRequestId === orderCorrelationId)).toEqual([
      expect.objectContaining({ orderRequestId: orderCorrelationId, petId: firstAvailable.id }),
    ]);
    const reply = responder.replies.find((r) => r.orderRequestId === orderCorrelationId)!;
    expect(result.outputs).toEqual({ orderId: reply.orderId });
    expect(result.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['loginStep', 'succeeded'],
      ['getPetStep', 'succeeded'],
      ['purchasePetStep', 'succeeded'],
      ['confirmPetPurchaseStep', 'succeeded'],
    ]);
    const history = await handle.fetchHistory();
    expect(acceptedMessages(history)).toBe(1);
    const placed = await kafka.readMessages('place-order', responder.replies.length, 20_000);
    const mine = placed.filter((m) => m.headers.orderRequestId === orderCorrelationId);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0].value ?? '{}')).toEqual({ petId: firstAvailable.id });
    expect(mine[0].key).toBe(orderCorrelationId);
  }, 90_000);

  it('a confirmation that never comes: the wait fails at its timeout and onFailure goes on', async () => {
    const orderRequestId = `nobody-${randomUUID()}`;
    const handle = await startRun(env, taskQueue, {
      document: 'test/fixtures/message-steps/wait-for-confirmation.arazzo.yaml',
      inputs: { orderRequestId },
      servers: { orders: kafka.broker.bootstrap },
    });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['confirmation', 'failed'],
      ['askAgain', 'succeeded'],
    ]);
    expect(result.steps[0].message).toBe("timed out after 1500 ms (the step's timeout)");
    expect(result.outputs).toEqual({});
    expect(acceptedMessages(await handle.fetchHistory())).toBe(0);
  }, 60_000);
});
