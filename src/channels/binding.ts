// What a message broker must offer for Arazzo 1.1 channel steps. The interpreter and the listener
// speak only this interface, so another protocol (MQTT, AMQP, WebSocket, HTTP webhooks) is one more
// implementation registered by its AsyncAPI `protocol` name, with no change to the workflow.
//
// Positions are opaque strings per partition (Kafka offsets; a protocol without partitions uses one
// key). A wait records the position of every partition when its step became active: that record, in
// the run's history, is what decides which messages are "after the step became active", not a
// consumer group's commit (which belongs to a process, not to a run).

/** A message as a channel step builds it (src/arazzo/messages/build-message.ts). */
export interface OutgoingMessage {
  /** The channel address (for Kafka, the topic). */
  address: string;
  /** Kafka: the record key (the correlation id, when the message declares one). */
  key?: string;
  headers: Record<string, string>;
  payload: unknown;
  contentType?: string;
}

export interface SentMessage {
  address: string;
  partition: number;
  /** Position of the message in its partition (Kafka: the offset, as a decimal string). */
  offset: string;
}

export interface ReceivedMessage {
  address: string;
  partition: number;
  offset: string;
  key?: string;
  headers: Record<string, string>;
  /** JSON when the bytes are JSON, else the text. */
  payload: unknown;
  /** Broker time of the message, ms since the epoch, as a decimal string. */
  timestamp: string;
}

/** Per partition (its number as a string), the first position a wait considers. Absent partition: from its start. */
export type ChannelPosition = Record<string, string>;

/** A running subscription to one address. */
export interface ChannelWatch {
  /** Reads again from `from` (each partition moves back only): a new wait began before what was read. */
  rewind(from: ChannelPosition): void;
  close(): Promise<void>;
}

export interface MessageBinding {
  /** The AsyncAPI server `protocol` this binding implements, e.g. `kafka`. */
  readonly protocol: string;
  send(host: string, message: OutgoingMessage): Promise<SentMessage>;
  /** Where each partition of `address` ends now: a wait beginning now considers only what comes after. */
  positionNow(host: string, address: string): Promise<ChannelPosition>;
  /** Delivers every message of `address` from `from` on, in order per partition, until closed. */
  watch(
    host: string,
    address: string,
    from: ChannelPosition,
    onMessage: (message: ReceivedMessage) => Promise<void>,
  ): Promise<ChannelWatch>;
  close(): Promise<void>;
}

/** A position is at or after another (decimal strings of any length: Kafka offsets are 64-bit). */
export function positionAtOrAfter(offset: string, start: string | undefined): boolean {
  if (start === undefined) return true;
  if (offset.length !== start.length) return offset.length > start.length;
  return offset >= start;
}

/** The bindings a worker has, by protocol. */
export class MessageBindings {
  private readonly byProtocol = new Map<string, MessageBinding>();

  constructor(bindings: MessageBinding[]) {
    for (const binding of bindings) this.byProtocol.set(binding.protocol, binding);
  }

  get(protocol: string): MessageBinding {
    const binding = this.byProtocol.get(protocol);
    if (!binding) {
      const known = [...this.byProtocol.keys()].join(', ') || 'none';
      throw new Error(`no message binding for protocol "${protocol}" (this worker has: ${known})`);
    }
    return binding;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.byProtocol.values()].map((b) => b.close()));
  }
}
