// What an application does with a `credential-rotated` event: a rotation delivers the new secret to a sink
// file, then publishes the event; the application, which consumes the topic, re-reads the file the event names
// and swaps the credential it uses, without a restart. This is that application, small and real (kafkajs): the
// README shows it, and tests assert that each event led to exactly one reload of the right file.
//
// The event's payload names the sink file at `sinkPointer` (default `/sink`): a file name inside `sinkDir`
// (a delivery spec's `file:<name>` form is accepted too). A path outside `sinkDir` is refused, not read: an
// event must not make the application read an arbitrary file. The secret itself is kept in memory only
// (`current()`); the reload records carry its fingerprint, never the value.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { fingerprint } from '../arazzo/secrets/mask.js';
import { ensureTopics, headerStrings } from './kafka-headers.js';

export const CREDENTIAL_ROTATED_TOPIC = 'credential-rotated';

export interface RotationListenerOptions {
  /** `host:port` of a broker. */
  bootstrap: string;
  /** The folder sink files live in (the worker's ARAZZO_SECRET_SINK_DIR). */
  sinkDir: string;
  topic?: string;
  /** JSON Pointer into the event payload to the sink file's name. Default `/sink`. */
  sinkPointer?: string;
  /** Default: a fresh group per listener, reading the topic from its beginning. */
  groupId?: string;
  /** Called after each reload (or refused event); the application swaps its credential here. */
  onReload?: (reload: Reload) => void;
  clientId?: string;
  /** kafkajs' own logging; quiet by default (failures still surface as errors of these functions). */
  logLevel?: logLevel;
}

export interface Reload {
  partition: number;
  offset: string;
  headers: Record<string, string>;
  /** The event's payload (it names a file and carries no secret). */
  event: unknown;
  /** The file read, absolute. Absent when refused. */
  file?: string;
  /** Fingerprint of what the file held (mask.ts's fingerprint), never the value. */
  fingerprint?: string;
  /** Why the event led to no reload (no sink named, outside sinkDir, unreadable file, ...). */
  refused?: string;
}

export interface RotationListener {
  /** Every event handled, in order; `refused` set on those that did not reload. */
  readonly reloads: readonly Reload[];
  /** The credential the application uses now (the last file read), or undefined before the first reload. */
  current(): string | undefined;
  /** Resolves once `count` events were handled, or throws after `timeoutMs`. */
  waitForReloads(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRotationListener(options: RotationListenerOptions): Promise<RotationListener> {
  const topic = options.topic ?? CREDENTIAL_ROTATED_TOPIC;
  const sinkDir = resolve(options.sinkDir);
  const kafka = new Kafka({
    clientId: options.clientId ?? 'rotation-listener',
    brokers: [options.bootstrap],
    logLevel: options.logLevel ?? logLevel.NOTHING,
    retry: { retries: 15, initialRetryTime: 200, maxRetryTime: 3_000 },
  });
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId ?? `rotation-listener-${randomUUID()}` });
  const reloads: Reload[] = [];
  let current: string | undefined;
  const waiters: Array<() => void> = [];

  const record = (reload: Reload) => {
    reloads.push(reload);
    options.onReload?.(reload);
    for (const w of waiters.splice(0)) w();
  };

  const sinkFile = (event: unknown): { file: string } | { refused: string } => {
    const named = readPointer(event, options.sinkPointer ?? '/sink');
    if (typeof named !== 'string' || named.length === 0)
      return { refused: `the event names no sink file at ${options.sinkPointer ?? '/sink'}` };
    const name = named.startsWith('file:') ? named.slice('file:'.length) : named;
    const file = resolve(sinkDir, name);
    const inside = relative(sinkDir, file);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
      return { refused: `the sink file ${named} is outside ${sinkDir}` };
    return { file };
  };

  await ensureTopics(kafka, [topic]);
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((done) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        done();
      });
    });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const base = { partition, offset: message.offset, headers: headerStrings(message.headers) };
        let event: unknown;
        try {
          event = JSON.parse(message.value?.toString() ?? '');
        } catch {
          return record({ ...base, event: undefined, refused: 'the event payload is not JSON' });
        }
        const target = sinkFile(event);
        if ('refused' in target) return record({ ...base, event, refused: target.refused });
        let value: string;
        try {
          value = (await readFile(target.file, 'utf8')).trim();
        } catch (err) {
          return record({ ...base, event, file: target.file, refused: `cannot read it: ${(err as Error).message}` });
        }
        current = value;
        record({ ...base, event, file: target.file, fingerprint: fingerprint(value) });
      },
    });
    await joined;
  } catch (err) {
    await consumer.disconnect().catch(() => {});
    throw err;
  }

  return {
    reloads,
    current: () => current,
    async waitForReloads(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (reloads.length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`the rotation listener handled ${reloads.length} of ${count} events on ${topic}`);
        await new Promise<void>((done) => {
          const timer = setTimeout(done, left);
          waiters.push(() => {
            clearTimeout(timer);
            done();
          });
        });
      }
    },
    stop: () => consumer.disconnect(),
  };
}

/** RFC 6901 JSON Pointer read (`''` is the whole value). */
function readPointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let node = value;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
