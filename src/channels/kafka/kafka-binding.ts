// The Kafka binding of channel steps, on kafkajs (pure JavaScript: it installs from the package
// registry alone, where the maintained native client needs a download or a librdkafka build; see
// src/devbroker/README.md for the evidence).
//
// - send: an idempotent producer per bootstrap host (the broker drops a batch the producer retried
//   after a lost acknowledgement), one record per step.
// - positionNow: each partition's high watermark; a topic that does not exist yet has no position,
//   so everything that arrives on it later counts.
// - watch: a consumer in a group of its own (a fresh id, never committed): the group is only how
//   kafkajs gets every partition assigned. Where it reads is ours: the caller's positions, kept
//   across the broker's restarts and the consumer's own restarts (re-seeked on every group join).
import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, Kafka, type KafkaMessage, logLevel, type Producer } from 'kafkajs';
import {
  type ChannelPosition,
  type ChannelWatch,
  type MessageBinding,
  type OutgoingMessage,
  positionAtOrAfter,
  type ReceivedMessage,
  type SentMessage,
} from '../binding.js';

export interface KafkaBindingOptions {
  clientId?: string;
  /** Where kafkajs's warnings and errors go (never message contents: kafkajs does not log them). */
  log?: (level: 'warn' | 'error', message: string) => void;
}

export class KafkaBinding implements MessageBinding {
  readonly protocol = 'kafka';
  private readonly clients = new Map<string, Kafka>();
  private readonly producers = new Map<string, Promise<Producer>>();
  private readonly admins = new Map<string, Promise<Admin>>();
  private readonly watches = new Set<KafkaWatch>();

  constructor(private readonly options: KafkaBindingOptions = {}) {}

  private client(host: string): Kafka {
    let kafka = this.clients.get(host);
    if (!kafka) {
      const log = this.options.log;
      kafka = new Kafka({
        clientId: this.options.clientId ?? 'arazzo-temporal',
        brokers: host.split(',').map((h) => h.trim()),
        connectionTimeout: 3_000,
        retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
        logLevel: log ? logLevel.WARN : logLevel.NOTHING,
        logCreator: () => (entry) => {
          if (!log) return;
          const level = entry.level === logLevel.ERROR ? 'error' : 'warn';
          log(level, `kafka ${host}: ${entry.log.message}`);
        },
      });
      this.clients.set(host, kafka);
    }
    return kafka;
  }

  private producer(host: string): Promise<Producer> {
    let producer = this.producers.get(host);
    if (!producer) {
      const created = this.client(host).producer({ idempotent: true, maxInFlightRequests: 1 });
      producer = created.connect().then(() => created);
      // A producer that failed to connect is forgotten, so the next attempt connects again.
      producer.catch(() => this.producers.delete(host));
      this.producers.set(host, producer);
    }
    return producer;
  }

  async send(host: string, message: OutgoingMessage): Promise<SentMessage> {
    const producer = await this.producer(host);
    try {
      const [meta] = await producer.send({
        topic: message.address,
        messages: [
          {
            key: message.key,
            headers: message.headers,
            value: encodePayload(message.payload),
          },
        ],
      });
      return { address: message.address, partition: meta.partition, offset: meta.baseOffset ?? meta.offset ?? '' };
    } catch (err) {
      // After a failure the producer's state (sequence numbers, connections) is not trusted again.
      this.producers.delete(host);
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** One admin connection per host, kept (a wait begins with one metadata round trip, not a new connection). */
  private admin(host: string): Promise<Admin> {
    let admin = this.admins.get(host);
    if (!admin) {
      const created = this.client(host).admin();
      admin = created.connect().then(() => created);
      admin.catch(() => this.admins.delete(host));
      this.admins.set(host, admin);
    }
    return admin;
  }

  async positionNow(host: string, address: string): Promise<ChannelPosition> {
    const admin = await this.admin(host);
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(address)) return {};
      const offsets = await admin.fetchTopicOffsets(address);
      return Object.fromEntries(offsets.map((o) => [String(o.partition), o.high ?? o.offset]));
    } catch (err) {
      // A connection that failed is not trusted again: the next wait connects anew.
      this.admins.delete(host);
      await admin.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async watch(
    host: string,
    address: string,
    from: ChannelPosition,
    onMessage: (message: ReceivedMessage) => Promise<void>,
  ): Promise<ChannelWatch> {
    const consumer = this.client(host).consumer({
      groupId: `arazzo-listener-${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000, restartOnFailure: async () => true },
    });
    const watch = new KafkaWatch(consumer, address, from, onMessage, () => this.watches.delete(watch));
    this.watches.add(watch);
    await watch.start();
    return watch;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.watches].map((w) => w.close()));
    const producers = [...this.producers.values()];
    this.producers.clear();
    const admins = [...this.admins.values()];
    this.admins.clear();
    await Promise.allSettled([...producers, ...admins].map(async (p) => (await p).disconnect()));
  }
}

class KafkaWatch implements ChannelWatch {
  /** Per partition, the next offset to deliver (what has been read, plus rewinds). */
  private readonly next: Map<string, string>;
  private closed = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly address: string,
    from: ChannelPosition,
    private readonly onMessage: (message: ReceivedMessage) => Promise<void>,
    private readonly onClose: () => void,
  ) {
    this.next = new Map(Object.entries(from));
  }

  async start(): Promise<void> {
    const { consumer } = this;
    // Every join (the first, and after a restart of the consumer or the broker) starts from our positions.
    consumer.on(consumer.events.GROUP_JOIN, () => this.seekAll());
    await consumer.connect();
    await consumer.subscribe({ topic: this.address, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => this.deliver(partition, message),
    });
  }

  private seekAll() {
    for (const [partition, offset] of this.next) {
      this.consumer.seek({ topic: this.address, partition: Number(partition), offset });
    }
  }

  private async deliver(partition: number, message: KafkaMessage) {
    const key = String(partition);
    // A rewind moves the position back; a message before it (read before the rewind) is skipped here.
    if (!positionAtOrAfter(message.offset, this.next.get(key))) return;
    await this.onMessage({
      address: this.address,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : undefined,
      headers: decodeHeaders(message.headers),
      payload: decodePayload(message.value),
      timestamp: message.timestamp,
    });
    this.next.set(key, (BigInt(message.offset) + 1n).toString());
  }

  rewind(from: ChannelPosition): void {
    for (const [partition, offset] of Object.entries(from)) {
      const current = this.next.get(partition);
      if (current !== undefined && positionAtOrAfter(offset, current)) continue;
      this.next.set(partition, offset);
      if (!this.closed) this.consumer.seek({ topic: this.address, partition: Number(partition), offset });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    await this.consumer.disconnect().catch(() => undefined);
  }
}

function encodePayload(payload: unknown): string | null {
  if (payload === undefined) return null;
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

function decodePayload(value: Buffer | null): unknown {
  if (value === null) return undefined;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function decodeHeaders(headers: KafkaMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
