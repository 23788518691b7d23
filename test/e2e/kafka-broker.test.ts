// The project's Kafka broker is a real one: it starts from the installed jars, a kafkajs producer and
// consumer talk to it, a restart keeps the log (messages survive, the address is the same), and stop()
// leaves no process behind.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useKafkaBroker } from '../support/kafka.js';

const kafka = useKafkaBroker({ numPartitions: 2 });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('src/devbroker/kafka-broker.ts', () => {
  it('starts a broker that a kafkajs producer and consumer use (auto-created topic, configured partitions)', async () => {
    const { broker } = kafka;
    expect(broker.bootstrap).toBe(`localhost:${broker.port}`);
    expect(broker.pid).toBeGreaterThan(0);
    expect(readFileSync(broker.logFile, 'utf8')).toContain('Kafka Server started');

    const producer = await kafka.producer();
    await producer.send({
      topic: 'broker-smoke',
      messages: [
        { key: 'a', value: JSON.stringify({ n: 1 }), headers: { orderRequestId: 'r-1' } },
        { key: 'b', value: JSON.stringify({ n: 2 }) },
      ],
    });
    const admin = await kafka.admin();
    const [meta] = (await admin.fetchTopicMetadata({ topics: ['broker-smoke'] })).topics;
    expect(meta.partitions).toHaveLength(2);

    const read = await kafka.readMessages('broker-smoke', 2);
    expect(read.map((m) => JSON.parse(m.value ?? 'null')).sort((x, y) => x.n - y.n)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(read.find((m) => m.key === 'a')?.headers).toEqual({ orderRequestId: 'r-1' });
  });

  it('restarts on the same address and keeps the messages; a hard kill loses nothing either', async () => {
    const { broker } = kafka;
    await kafka.createTopics(['survives'], 1);
    const producer = await kafka.producer();
    await producer.send({ topic: 'survives', messages: [{ value: 'before restart' }] });
    const firstPid = broker.pid;

    await broker.restart();
    expect(broker.pid).not.toBe(firstPid);
    expect(isAlive(firstPid as number)).toBe(false);
    expect(broker.startupMs).toBeGreaterThan(0);

    // The producer made before the restart reconnects by itself.
    await producer.send({ topic: 'survives', messages: [{ value: 'after restart' }] });
    await broker.restart({ hard: true });
    await producer.send({ topic: 'survives', messages: [{ value: 'after crash' }] });

    const read = await kafka.readMessages('survives', 3);
    expect(read.map((m) => m.value)).toEqual(['before restart', 'after restart', 'after crash']);
    expect(read.map((m) => m.offset)).toEqual(['0', '1', '2']);
  });

  it('halts for a while (clients are refused) and starts again', async () => {
    const { broker } = kafka;
    await broker.halt();
    expect(broker.pid).toBeUndefined();
    await expect(
      new Promise((done, fail) => connect(broker.port, '127.0.0.1').once('connect', done).once('error', fail)),
    ).rejects.toThrow(/ECONNREFUSED/);
    await broker.start();
    const read = await kafka.readMessages('survives', 3);
    expect(read).toHaveLength(3);
  });

  it('stop() ends the JVM and removes its temporary data folder', async () => {
    // A second broker of its own, so the file's broker stays for the hooks.
    const { startKafkaBroker } = await import('../../src/devbroker/kafka-broker.js');
    const other = await startKafkaBroker();
    const pid = other.pid as number;
    expect(isAlive(pid)).toBe(true);
    expect(other.port).not.toBe(kafka.broker.port);
    await other.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
