// Arazzo 1.1 channel steps (`action: send|receive`, with an AsyncAPI `operationId` or a `channelPath`)
// resolved against the AsyncAPI sources' indexes: which channel the step's message goes to or comes
// from, which message it is, and which server carries it.
//
// Perspective (the spec's own example: a `send` step on `placeOrder`, whose AsyncAPI action is
// `receive`): an AsyncAPI description describes an application, and the workflow plays its counterpart.
// So a step acts on an operation whose action is the opposite of its own, on the operation's channel;
// a step whose action is the operation's own acts on the operation's `reply` channel (request/reply:
// the application receives a request and replies, the workflow sends the request and receives the
// reply). Otherwise the step contradicts the operation (pre-flight reports it; the operation's own
// channel is used).
import type { AsyncApiChannel, AsyncApiMessage, AsyncApiOperation, AsyncApiServer } from './asyncapi-index.js';
import { type DocumentSet, isAvailable, type LoadedAsyncApiSource, sourceOfType } from './document-set.js';
import { parsePointer } from './json-pointer.js';

export type ChannelAction = 'send' | 'receive';

/** How a step names its channel, as written. */
export type ChannelReference = { operationId: string } | { channelPath: string };

export interface ResolvedChannelStep {
  sourceName: string;
  source: LoadedAsyncApiSource;
  operation?: AsyncApiOperation;
  /** The channel the step's message goes to (`send`) or comes from (`receive`). */
  channel: AsyncApiChannel;
  /** Whether the step uses the operation's `reply` (its action equals the operation's). */
  viaReply: boolean;
  /** The step's action equals the operation's and the operation has no reply: the step contradicts it. */
  contradicts: boolean;
  /** The message the step sends or expects: the operation's (or reply's), else the channel's, first. */
  message?: AsyncApiMessage;
  /** The channel's first server, else the document's first; undefined when the description has none. */
  server?: AsyncApiServer;
}

export type ChannelLookup =
  | { ok: true; value: ResolvedChannelStep }
  | {
      ok: false;
      reason:
        | 'unknown-source'
        | 'source-unavailable'
        | 'source-not-asyncapi'
        | 'unknown-operation'
        | 'ambiguous-operation'
        | 'invalid-channel-path'
        | 'unknown-channel';
      message: string;
      sourceName?: string;
      /** Names close to what was asked, for a did-you-mean hint. */
      candidates?: string[];
    };

const QUALIFIED_OPERATION_ID = /^\$sourceDescriptions\.([^.]+)\.(.+)$/;
const CHANNEL_PATH = /^\{\$sourceDescriptions\.([^.}]+)\.url\}#(.*)$/;

/** Whether a step (as parsed, unvalidated) is a 1.1 channel step. */
export function isChannelStep(step: unknown): boolean {
  if (step === null || typeof step !== 'object') return false;
  const { action, channelPath } = step as { action?: unknown; channelPath?: unknown };
  return action !== undefined || channelPath !== undefined;
}

/**
 * What a channel step names, and in which field: `channelPath`, else `operationId`, else an
 * `operationPath` written with an operation id (the Arazzo text's own example does; validation
 * reports the field, and everything else is still checked as if it said `operationId`).
 */
/**
 * The operation whose reply a misnamed operation id most likely means: the Arazzo text's example asks
 * for `confirmOrder`, which is the reply (channel `confirm-order`, message `confirmOrder.message`) of
 * `placeOrder`.
 */
export function replyNamed(source: LoadedAsyncApiSource, name: string): AsyncApiOperation | undefined {
  const plain = (text: string) =>
    text
      .toLowerCase()
      .replace(/\.message$/, '')
      .replace(/[^a-z0-9]/g, '');
  const wanted = plain(name);
  return Object.values(source.index.operations).find(
    (operation) =>
      operation.reply &&
      ((operation.reply.channel !== undefined && plain(operation.reply.channel) === wanted) ||
        operation.reply.messages.some((message) => plain(message) === wanted)),
  );
}

export function channelReferenceOf(
  step: unknown,
): { field: 'channelPath' | 'operationId' | 'operationPath'; reference: ChannelReference } | undefined {
  if (step === null || typeof step !== 'object') return undefined;
  const { channelPath, operationId, operationPath } = step as Record<string, unknown>;
  if (typeof channelPath === 'string') return { field: 'channelPath', reference: { channelPath } };
  if (typeof operationId === 'string') return { field: 'operationId', reference: { operationId } };
  if (typeof operationPath === 'string' && OPERATION_ID_AS_PATH.test(operationPath)) {
    return { field: 'operationPath', reference: { operationId: operationPath } };
  }
  return undefined;
}

/** `$sourceDescriptions.<name>.<operationId>` written where an operationPath goes. */
export const OPERATION_ID_AS_PATH = /^\$sourceDescriptions\.[^.]+\.[^.#{}]+$/;

function asyncApiSources(set: DocumentSet): Array<[string, LoadedAsyncApiSource]> {
  return Object.entries(set.sources).filter(
    (entry): entry is [string, LoadedAsyncApiSource] => isAvailable(entry[1]) && entry[1].type === 'asyncapi',
  );
}

function sourceFor(set: DocumentSet, name: string): ChannelLookup | LoadedAsyncApiSource {
  return sourceOfType(set, name, 'asyncapi');
}

/** Resolves a channel step's reference with its action. */
export function findChannel(set: DocumentSet, reference: ChannelReference, action: ChannelAction): ChannelLookup {
  return 'operationId' in reference
    ? findByOperationId(set, reference.operationId, action)
    : findByChannelPath(set, reference.channelPath);
}

function findByOperationId(set: DocumentSet, operationId: string, action: ChannelAction): ChannelLookup {
  const qualified = QUALIFIED_OPERATION_ID.exec(operationId);
  let candidates: Array<[string, LoadedAsyncApiSource]>;
  let wanted = operationId;
  if (qualified) {
    const source = sourceFor(set, qualified[1]);
    if ('ok' in source) return source;
    candidates = [[qualified[1], source]];
    wanted = qualified[2];
  } else {
    candidates = asyncApiSources(set);
  }
  const matches = candidates.filter(([, source]) => Object.hasOwn(source.index.operations, wanted));
  if (matches.length > 1) {
    return {
      ok: false,
      reason: 'ambiguous-operation',
      message: `AsyncAPI operation "${wanted}" exists in several sources (${matches.map(([name]) => name).join(', ')})`,
      candidates: matches.map(([name]) => name),
    };
  }
  if (matches.length === 0) {
    const unavailable =
      !qualified &&
      Object.values(set.sources).some((source) => !isAvailable(source) && (source.type ?? 'asyncapi') === 'asyncapi');
    return {
      ok: false,
      reason: unavailable ? 'source-unavailable' : 'unknown-operation',
      message: qualified
        ? `AsyncAPI source "${qualified[1]}" has no operation "${wanted}"`
        : `no AsyncAPI source description has an operation "${wanted}"`,
      ...(qualified ? { sourceName: qualified[1] } : {}),
      candidates: candidates.flatMap(([, source]) => Object.keys(source.index.operations)),
    };
  }
  const [sourceName, source] = matches[0];
  return { ok: true, value: resolveOperation(sourceName, source, source.index.operations[wanted], action) };
}

function resolveOperation(
  sourceName: string,
  source: LoadedAsyncApiSource,
  operation: AsyncApiOperation,
  action: ChannelAction,
): ResolvedChannelStep {
  const sameAction = operation.action === action;
  const replyChannel = operation.reply?.channel ? source.index.channels[operation.reply.channel] : undefined;
  const viaReply = sameAction && replyChannel !== undefined;
  const channel = viaReply ? replyChannel : source.index.channels[operation.channel];
  const messageKeys = viaReply ? operation.reply!.messages : operation.messages;
  const messages = channel ? messageKeys.map((key) => channel.messages[key]).filter(Boolean) : [];
  return {
    sourceName,
    source,
    operation,
    // The parser refuses an operation whose channel does not resolve; an empty channel stands in anyway.
    channel: channel ?? { key: operation.channel, address: null, parameters: [], servers: [], messages: {} },
    viaReply,
    contradicts: sameAction && !viaReply,
    message: messages[0] ?? firstMessage(channel),
    server: serverOf(source, channel),
  };
}

function findByChannelPath(set: DocumentSet, channelPath: string): ChannelLookup {
  const match = CHANNEL_PATH.exec(channelPath);
  let segments: string[] | undefined;
  try {
    segments = match ? parsePointer(match[2]) : undefined;
  } catch {
    segments = undefined;
  }
  if (!match || !segments || segments.length !== 2 || segments[0] !== 'channels') {
    return {
      ok: false,
      reason: 'invalid-channel-path',
      message: `channelPath "${channelPath}" is not of the form {$sourceDescriptions.<name>.url}#/channels/<channel key>`,
    };
  }
  const sourceName = match[1];
  const source = sourceFor(set, sourceName);
  if ('ok' in source) return source;
  const channel = source.index.channels[segments[1]];
  if (!channel || !Object.hasOwn(source.index.channels, segments[1])) {
    return {
      ok: false,
      reason: 'unknown-channel',
      message: `AsyncAPI source "${sourceName}" has no channel "${segments[1]}"`,
      sourceName,
      candidates: Object.keys(source.index.channels),
    };
  }
  return {
    ok: true,
    value: {
      sourceName,
      source,
      channel,
      viaReply: false,
      contradicts: false,
      message: firstMessage(channel),
      server: serverOf(source, channel),
    },
  };
}

function firstMessage(channel: AsyncApiChannel | undefined): AsyncApiMessage | undefined {
  return channel ? Object.values(channel.messages)[0] : undefined;
}

function serverOf(source: LoadedAsyncApiSource, channel: AsyncApiChannel | undefined): AsyncApiServer | undefined {
  const servers = source.index.servers;
  const named = channel?.servers.length ? servers.find((server) => server.name === channel.servers[0]) : undefined;
  return named ?? servers[0];
}
