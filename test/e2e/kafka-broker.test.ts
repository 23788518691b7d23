// The project's Kafka broker is a real one: it starts from the installed jars, a kafkajs producer and
// consumer talk to it, a restart keeps the log (messages survive, the address is the same), and neither
// stop() nor the death of the process that started it leaves a process behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useKafkaBroker } from '../support/kafka.js';

const kafka = useKafkaBroker({ numPartitions: 2 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether any process of the group led by `pid` (the broker's guard and JVM) still exists. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
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
    expect(groupAlive(firstPid as number)).toBe(false);
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

  it('a broker whose starter is killed with SIGKILL (no exit handler runs) does not outlive it', async () => {
    const starter = join(mkdtempSync(join(tmpdir(), 'arazzo-kafka-orphan-')), 'starter.mts');
    const module = fileURLToPath(new URL('../../src/devbroker/kafka-broker.ts', import.meta.url));
    writeFileSync(
      starter,
      `import { startKafkaBroker } from ${JSON.stringify(module)};
const b = await startKafkaBroker();
console.log(JSON.stringify({ pid: b.pid, dataDir: b.dataDir }));
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', starter], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const deadline = Date.now() + 90_000;
    while (!out.includes('\n') && Date.now() < deadline && child.exitCode === null) await sleep(100);
    const { pid, dataDir } = JSON.parse(out) as { pid: number; dataDir: string };
    try {
      expect(groupAlive(pid)).toBe(true);
      child.kill('SIGKILL');
      const gone = Date.now() + 15_000;
      while (groupAlive(pid) && Date.now() < gone) await sleep(100);
      expect(groupAlive(pid)).toBe(false);
    } finally {
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dirname(starter), { recursive: true, force: true });
    }
  });

  it('stop() ends the JVM and removes its temporary data folder', async () => {
    // A second broker of its own, so the file's broker stays for the hooks.
    const { startKafkaBroker } = await import('../../src/devbroker/kafka-broker.js');
    const other = await startKafkaBroker();
    const pid = other.pid as number;
    expect(groupAlive(pid)).toBe(true);
    expect(other.port).not.toBe(kafka.broker.port);
    await other.stop();
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
