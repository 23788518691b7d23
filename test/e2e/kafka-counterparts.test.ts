// The Kafka programs that play the other side of message steps, against a real broker: the pet example's
// order responder (place-order -> confirm-order, correlated by the orderRequestId header, duplicates dropped
// by arazzo-message-id) and the application that reloads a credential on each credential-rotated event.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/arazzo/secrets/mask.js';
import {
  CONFIRM_ORDER_TOPIC,
  type OrderResponder,
  PLACE_ORDER_TOPIC,
  type RotationListener,
  startOrderResponder,
  startRotationListener,
} from '../../src/simulators/index.js';
import { useKafkaBroker } from '../support/kafka.js';

const kafka = useKafkaBroker();
const running: Array<OrderResponder | RotationListener> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

let topics = 0;
/** Topics of their own per test: the broker (and its topics) live for the whole file. */
function orderTopics() {
  topics++;
  return { requestTopic: `place-order-${topics}`, replyTopic: `confirm-order-${topics}` };
}

async function responder(options: Partial<Parameters<typeof startOrderResponder>[0]> = {}) {
  const r = await startOrderResponder({ bootstrap: kafka.broker.bootstrap, ...options });
  running.push(r);
  return r;
}

function order(orderRequestId: string, petId: unknown, messageId?: string) {
  const headers: Record<string, string> = { orderRequestId };
  if (messageId) headers['arazzo-message-id'] = messageId;
  return { headers, value: JSON.stringify({ petId }) };
}

describe('order responder (src/simulators/order-responder.ts)', () => {
  it('answers each place-order on confirm-order with the same orderRequestId and an integer orderId, a request sent before it started too', async () => {
    await kafka.createTopics([PLACE_ORDER_TOPIC, CONFIRM_ORDER_TOPIC]);
    const producer = await kafka.producer();
    await producer.send({ topic: PLACE_ORDER_TOPIC, messages: [order('req-early', 1)] });
    const r = await responder({ firstOrderId: 500 });
    await producer.send({ topic: PLACE_ORDER_TOPIC, messages: [order('req-late', 2)] });
    await r.waitForRequests(2);

    expect(r.replies.map((x) => [x.orderRequestId, x.orderId, x.petId])).toEqual([
      ['req-early', 500, 1],
      ['req-late', 501, 2],
    ]);
    const confirmations = await kafka.readMessages(CONFIRM_ORDER_TOPIC, 2);
    expect(confirmations.map((m) => [m.key, m.headers, JSON.parse(m.value ?? '')])).toEqual([
      ['req-early', { orderRequestId: 'req-early' }, { orderId: 500 }],
      ['req-late', { orderRequestId: 'req-late' }, { orderId: 501 }],
    ]);
  });

  it('answers a request repeated with the same arazzo-message-id once, and never answers what it cannot correlate', async () => {
    const t = orderTopics();
    const r = await responder(t);
    const producer = await kafka.producer();
    await producer.send({
      topic: t.requestTopic,
      messages: [
        order('req-a', 7, 'wf-1/run-1/purchasePetStep#1'),
        // A retried send activity produces the same message again.
        order('req-a', 7, 'wf-1/run-1/purchasePetStep#1'),
        // Another run, another message id, even with a colliding orderRequestId: answered.
        order('req-a', 7, 'wf-2/run-9/purchasePetStep#1'),
        // No message id at all: answered (nothing to dedupe by).
        order('req-b', 8),
        { headers: {}, value: JSON.stringify({ petId: 9 }) },
        order('req-c', 'nine'),
        { headers: { orderRequestId: 'req-d' }, value: 'not json' },
      ],
    });
    await r.waitForRequests(7);
    expect(r.replies.map((x) => x.orderRequestId)).toEqual(['req-a', 'req-a', 'req-b']);
    expect(r.duplicates.map((d) => d.messageId)).toEqual(['wf-1/run-1/purchasePetStep#1']);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'no orderRequestId header',
      'payload has no integer petId',
      'payload is not JSON',
    ]);
    const confirmations = await kafka.readMessages(t.replyTopic, 3);
    expect(confirmations.map((m) => m.headers.orderRequestId)).toEqual(['req-a', 'req-a', 'req-b']);
  });

  it('holds requests until released (autoReply: false), and keeps answering across a broker restart', async () => {
    const t = orderTopics();
    const r = await responder({ ...t, autoReply: false });
    const producer = await kafka.producer();
    await producer.send({ topic: t.requestTopic, messages: [order('held-1', 1), order('held-2', 2)] });
    await r.waitForRequests(2);
    expect(r.replies).toHaveLength(0);
    expect(r.pending.map((p) => p.orderRequestId)).toEqual(['held-1', 'held-2']);

    await kafka.broker.restart();
    const released = await r.release((p) => p.orderRequestId === 'held-2');
    expect(released.map((x) => x.orderRequestId)).toEqual(['held-2']);
    expect(r.pending.map((p) => p.orderRequestId)).toEqual(['held-1']);

    // Its consumer is back too: a request after the restart is seen.
    await producer.send({ topic: t.requestTopic, messages: [order('after-restart', 3)] });
    await r.waitForRequests(3);
    await r.release();
    expect(r.replies.map((x) => x.orderRequestId)).toEqual(['held-2', 'held-1', 'after-restart']);
    const confirmations = await kafka.readMessages(t.replyTopic, 3);
    expect(confirmations.map((m) => m.headers.orderRequestId)).toEqual(['held-2', 'held-1', 'after-restart']);
  });
});

describe('rotation listener (src/simulators/rotation-listener.ts)', () => {
  const sinkDir = mkdtempSync(join(tmpdir(), 'arazzo-sink-'));
  afterAll(() => rmSync(sinkDir, { recursive: true, force: true }));

  async function listener(topic: string) {
    const l = await startRotationListener({ bootstrap: kafka.broker.bootstrap, sinkDir, topic });
    running.push(l);
    return l;
  }

  it('re-reads the sink file each credential-rotated event names and uses the new credential', async () => {
    const topic = 'credential-rotated';
    const seen: string[] = [];
    const l = await startRotationListener({
      bootstrap: kafka.broker.bootstrap,
      sinkDir,
      onReload: (reload) => seen.push(reload.file ?? 'refused'),
    });
    running.push(l);
    expect(l.current()).toBeUndefined();
    const producer = await kafka.producer();

    writeFileSync(join(sinkDir, 'deepgram-new.txt'), 'secret-one\n', { mode: 0o600 });
    await producer.send({ topic, messages: [{ value: JSON.stringify({ sink: 'deepgram-new.txt' }) }] });
    await l.waitForReloads(1);
    expect(l.current()).toBe('secret-one');

    // The next rotation delivers under another name (a sink never replaces a value); the event says which.
    writeFileSync(join(sinkDir, 'deepgram-new.wf.2.txt'), 'secret-two\n', { mode: 0o600 });
    await producer.send({ topic, messages: [{ value: JSON.stringify({ sink: 'file:deepgram-new.wf.2.txt' }) }] });
    await l.waitForReloads(2);
    expect(l.current()).toBe('secret-two');
    expect(l.reloads.map((x) => [x.file, x.fingerprint, x.refused])).toEqual([
      [join(sinkDir, 'deepgram-new.txt'), fingerprint('secret-one'), undefined],
      [join(sinkDir, 'deepgram-new.wf.2.txt'), fingerprint('secret-two'), undefined],
    ]);
    expect(seen).toEqual([join(sinkDir, 'deepgram-new.txt'), join(sinkDir, 'deepgram-new.wf.2.txt')]);
    // The records hold fingerprints, never the secret.
    expect(JSON.stringify(l.reloads)).not.toContain('secret-');
  });

  it('refuses events that name no file, a file outside the sink folder, or a missing file, and keeps the credential', async () => {
    const topic = 'credential-rotated-refusals';
    writeFileSync(join(sinkDir, 'kept.txt'), 'kept-secret', { mode: 0o600 });
    const l = await listener(topic);
    const producer = await kafka.producer();
    await producer.send({
      topic,
      messages: [
        { value: JSON.stringify({ sink: 'kept.txt' }) },
        { value: JSON.stringify({ credential: 'deepgram' }) },
        { value: JSON.stringify({ sink: '../../etc/passwd' }) },
        { value: JSON.stringify({ sink: '/etc/passwd' }) },
        { value: JSON.stringify({ sink: 'never-delivered.txt' }) },
        { value: 'not json' },
      ],
    });
    await l.waitForReloads(6);
    expect(l.current()).toBe('kept-secret');
    expect(l.reloads.map((x) => x.refused?.replace(sinkDir, '<sinkDir>').split(':')[0])).toEqual([
      undefined,
      'the event names no sink file at /sink',
      'the sink file ../../etc/passwd is outside <sinkDir>',
      'the sink file /etc/passwd is outside <sinkDir>',
      'cannot read it',
      'the event payload is not JSON',
    ]);
  });
});

describe('npm run simulate -- --kafka <bootstrap> --sink-dir <dir>', () => {
  it('runs the order responder and the rotation listener beside the HTTP simulators, one line per message', async () => {
    const sinkDir = mkdtempSync(join(tmpdir(), 'arazzo-cli-sink-'));
    const cli = fileURLToPath(new URL('../../src/simulators/cli.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--quiet', '--kafka', kafka.broker.bootstrap, '--sink-dir', sinkDir],
      {
        env: { ...process.env, PRISMA_SIM_PORT: '0', DEEPGRAM_SIM_PORT: '0', PETSTORE_SIM_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const until = async (pattern: RegExp, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until(/^ready$/m, 'ready line');
      expect(out).toContain(`Kafka counterparts                 ${kafka.broker.bootstrap}`);
      const producer = await kafka.producer();
      await producer.send({ topic: PLACE_ORDER_TOPIC, messages: [order('cli-order-1', 42)] });
      await until(/\[order-responder\] orderRequestId cli-order-1 \(pet 42\) -> orderId \d+/, 'order line');

      writeFileSync(join(sinkDir, 'cli-rotated.txt'), 'cli-secret-value', { mode: 0o600 });
      await producer.send({
        topic: 'credential-rotated',
        messages: [{ value: JSON.stringify({ sink: 'cli-rotated.txt' }) }],
      });
      await until(/\[rotation-listener\] reloaded .*cli-rotated\.txt \(fingerprint [0-9a-f]+\)/, 'reload line');
      expect(out).toContain(`(fingerprint ${fingerprint('cli-secret-value')})`);
      expect(out).not.toContain('cli-secret-value');
    } finally {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(sinkDir, { recursive: true, force: true });
    }
  });
});
