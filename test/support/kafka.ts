// A real Kafka broker for one e2e test file: started on free ports in a temporary folder before the file's
// tests, stopped (and the folder removed) after them, failing or not. Tests that restart or stop it for a
// while use the handle's restart()/halt()/start(); it is the same broker (same address, same messages).
//
//   const kafka = useKafkaBroker();
//   it('...', async () => { const client = kafka.client(); ... kafka.broker.bootstrap ... });
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { type KafkaBroker, type KafkaBrokerOptions, startKafkaBroker } from '../../src/devbroker/kafka-broker.js';
import { headerStrings } from '../../src/simulators/kafka-headers.js';

export interface KafkaFixture {
  /** The running broker (set in beforeAll). */
  readonly broker: KafkaBroker;
  /**
   * A kafkajs client for the broker. Silent: kafkajs logs even the retriable errors it recovers from (a
   * coordinator still loading after a restart) at ERROR; what it cannot recover from is thrown.
   */
  client(clientId?: string): Kafka;
  /** A producer connected now and disconnected after the file. */
  producer(): Promise<Producer>;
  /** An admin client connected now and disconnected after the file. */
  admin(): Promise<Admin>;
  /** Creates the topics (one partition unless said) and waits for their leaders. */
  createTopics(topics: string[], numPartitions?: number): Promise<void>;
  /**
   * Reads `count` messages of `topic` from its beginning (a fresh consumer group each call), or throws
   * after `timeoutMs` saying how many came.
   */
  readMessages(topic: string, count: number, timeoutMs?: number): Promise<ReadMessage[]>;
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

export function useKafkaBroker(options: Omit<KafkaBrokerOptions, 'signal'> = {}): KafkaFixture {
  let broker: KafkaBroker | undefined;
  const toDisconnect: Array<Producer | Admin | Consumer> = [];
  let groups = 0;
  beforeAll(async () => {
    broker = await startKafkaBroker(options);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(toDisconnect.splice(0).map((c) => c.disconnect().catch(() => {})));
    await broker?.stop();
  }, 60_000);

  const fixture: KafkaFixture = {
    get broker() {
      if (!broker) throw new Error('the Kafka broker is not started yet (use it inside a test or hook)');
      return broker;
    },
    client(clientId = 'arazzo-test') {
      return new Kafka({
        clientId,
        brokers: [fixture.broker.bootstrap],
        logLevel: logLevel.NOTHING,
        retry: { retries: 8, initialRetryTime: 200 },
      });
    },
    async producer() {
      const producer = fixture.client().producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      toDisconnect.push(producer);
      return producer;
    },
    async admin() {
      const admin = fixture.client().admin();
      await admin.connect();
      toDisconnect.push(admin);
      return admin;
    },
    async createTopics(topics, numPartitions = 1) {
      const admin = await fixture.admin();
      await admin.createTopics({
        topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    },
    async readMessages(topic, count, timeoutMs = 30_000) {
      const consumer = fixture.client().consumer({ groupId: `arazzo-test-reader-${process.pid}-${++groups}` });
      const read: ReadMessage[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((done, fail) => {
          const timer = setTimeout(
            () => fail(new Error(`read ${read.length} of ${count} messages from ${topic} in ${timeoutMs} ms`)),
            timeoutMs,
          );
          void consumer.run({
            eachMessage: async ({ partition, message }) => {
              read.push({
                partition,
                offset: message.offset,
                key: message.key?.toString() ?? null,
                headers: headerStrings(message.headers),
                value: message.value?.toString() ?? null,
              });
              if (read.length >= count) {
                clearTimeout(timer);
                done();
              }
            },
          });
        });
      } finally {
        await consumer.disconnect();
      }
      return read;
    },
  };
  return fixture;
}
