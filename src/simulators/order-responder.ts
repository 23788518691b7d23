// The other side of the Arazzo 1.1 pet-purchase example (arazzo/examples/pet-asyncapi/pet-asyncapi.yaml): the
// described application receives `placeOrder` requests on `place-order` and replies on `confirm-order` with the
// request's `orderRequestId` header (the messages' correlationId, `$message.header#/orderRequestId`) and a
// payload `{orderId: <integer>}`. A real Kafka program (kafkajs): tests start it against the broker of
// test/support/kafka.ts, let a workflow send and wait, and assert on what it handled.
//
// A request sent twice by a retried activity carries the same `arazzo-message-id` header; the responder answers
// it once. Requests it cannot answer (no orderRequestId, a payload without an integer petId) are counted as
// rejected, never answered: the waiting run then fails at its timeout, as it would against a real application.
// With `autoReply: false` requests wait in `pending` until the test releases them (a reply published while no
// worker runs, a reply after a broker restart).
import { randomUUID } from 'node:crypto';
import { type Consumer, Kafka, type KafkaMessage, logLevel, type Producer } from 'kafkajs';
import { ensureTopics, headerStrings } from './kafka-headers.js';

export const PLACE_ORDER_TOPIC = 'place-order';
export const CONFIRM_ORDER_TOPIC = 'confirm-order';
/** The header a message step's send carries so consumers can drop a duplicate (design of issue 21). */
export const MESSAGE_ID_HEADER = 'arazzo-message-id';
export const ORDER_REQUEST_ID_HEADER = 'orderRequestId';

export interface OrderResponderOptions {
  /** `host:port` of a broker (e.g. `broker.bootstrap`). */
  bootstrap: string;
  requestTopic?: string;
  replyTopic?: string;
  /**
   * Consumer group. Default: a fresh one per responder, reading the request topic from its beginning, so a
   * request sent before the responder started is answered too.
   */
  groupId?: string;
  /** First orderId handed out; each answered request gets the next. Default 1. */
  firstOrderId?: number;
  /** Answer at once (default), or hold requests in `pending` until `release()`. */
  autoReply?: boolean;
  /** Wait this long before each answer (a slow application). */
  replyDelayMs?: number;
  clientId?: string;
  /** Called after each reply is produced (the CLI prints one line per order). */
  onReply?: (reply: OrderReply) => void;
  /** kafkajs' own logging; quiet by default (failures still surface as errors of these functions). */
  logLevel?: logLevel;
}

export interface OrderRequest {
  orderRequestId: string;
  petId: number;
  /** `arazzo-message-id`, when the sender set one. */
  messageId?: string;
  partition: number;
  offset: string;
}

export interface OrderReply {
  orderRequestId: string;
  orderId: number;
  petId: number;
  partition: number;
  offset: string;
}

export interface RejectedRequest {
  partition: number;
  offset: string;
  reason: string;
}

export interface OrderResponder {
  /** Requests answered, in order. */
  readonly replies: readonly OrderReply[];
  /** Requests held (autoReply false), in order. */
  readonly pending: readonly OrderRequest[];
  /** Requests dropped because their `arazzo-message-id` was seen before. */
  readonly duplicates: readonly OrderRequest[];
  readonly rejected: readonly RejectedRequest[];
  /** Answers the held requests (those `which` selects; all by default); resolves with the replies sent. */
  release(which?: (request: OrderRequest) => boolean): Promise<OrderReply[]>;
  /** Resolves once `count` requests in total have been answered, held, dropped or rejected, or throws after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  /** Stops consuming and disconnects; held requests stay unanswered. */
  stop(): Promise<void>;
}

export async function startOrderResponder(options: OrderResponderOptions): Promise<OrderResponder> {
  const requestTopic = options.requestTopic ?? PLACE_ORDER_TOPIC;
  const replyTopic = options.replyTopic ?? CONFIRM_ORDER_TOPIC;
  const kafka = new Kafka({
    clientId: options.clientId ?? 'pet-order-responder',
    brokers: [options.bootstrap],
    logLevel: options.logLevel ?? logLevel.NOTHING,
    // A broker restart mid-test must not end the responder: keep retrying for a while.
    retry: { retries: 15, initialRetryTime: 200, maxRetryTime: 3_000 },
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId ?? `pet-order-responder-${randomUUID()}` });
  const replies: OrderReply[] = [];
  const pending: OrderRequest[] = [];
  const duplicates: OrderRequest[] = [];
  const rejected: RejectedRequest[] = [];
  const seenMessageIds = new Set<string>();
  let nextOrderId = options.firstOrderId ?? 1;
  let requestsSeen = 0;
  const waiters: Array<() => void> = [];
  const noteRequest = () => {
    requestsSeen++;
    for (const w of waiters.splice(0)) w();
  };

  const reply = async (request: OrderRequest): Promise<OrderReply> => {
    if (options.replyDelayMs) await new Promise((r) => setTimeout(r, options.replyDelayMs));
    const orderId = nextOrderId++;
    const [sent] = await producer.send({
      topic: replyTopic,
      messages: [
        {
          // The correlation id as the key: every message of one order lands in one partition, in order.
          key: request.orderRequestId,
          headers: { [ORDER_REQUEST_ID_HEADER]: request.orderRequestId },
          value: JSON.stringify({ orderId }),
        },
      ],
    });
    const answered: OrderReply = {
      orderRequestId: request.orderRequestId,
      orderId,
      petId: request.petId,
      partition: sent.partition,
      offset: sent.baseOffset ?? '',
    };
    replies.push(answered);
    options.onReply?.(answered);
    return answered;
  };

  const handle = async (partition: number, message: KafkaMessage) => {
    const headers = headerStrings(message.headers);
    const where = { partition, offset: message.offset };
    const orderRequestId = headers[ORDER_REQUEST_ID_HEADER];
    if (!orderRequestId) {
      rejected.push({ ...where, reason: `no ${ORDER_REQUEST_ID_HEADER} header` });
      return noteRequest();
    }
    let payload: unknown;
    try {
      payload = JSON.parse(message.value?.toString() ?? '');
    } catch {
      rejected.push({ ...where, reason: 'payload is not JSON' });
      return noteRequest();
    }
    const petId = (payload as { petId?: unknown } | null)?.petId;
    if (typeof petId !== 'number' || !Number.isInteger(petId)) {
      rejected.push({ ...where, reason: 'payload has no integer petId' });
      return noteRequest();
    }
    const request: OrderRequest = { orderRequestId, petId, messageId: headers[MESSAGE_ID_HEADER], ...where };
    if (request.messageId !== undefined) {
      if (seenMessageIds.has(request.messageId)) {
        duplicates.push(request);
        return noteRequest();
      }
      seenMessageIds.add(request.messageId);
    }
    if (options.autoReply === false) pending.push(request);
    else await reply(request);
    noteRequest();
  };

  await ensureTopics(kafka, [requestTopic, replyTopic]);
  await producer.connect();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: requestTopic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    // The offset is committed after the answer: a responder that dies mid-answer answers again on restart
    // (at least once), and the arazzo-message-id / the waiting run's own checks absorb the repeat.
    await consumer.run({ eachMessage: ({ partition, message }) => handle(partition, message) });
    await joined;
  } catch (err) {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    throw err;
  }

  return {
    replies,
    pending,
    duplicates,
    rejected,
    async release(which = () => true) {
      const chosen = pending.filter(which);
      const sent: OrderReply[] = [];
      for (const request of chosen) {
        pending.splice(pending.indexOf(request), 1);
        sent.push(await reply(request));
      }
      return sent;
    },
    async waitForRequests(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (requestsSeen < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`the order responder saw ${requestsSeen} of ${count} requests on ${requestTopic}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
