// An AsyncAPI 3.x description as the pure core reads it: a plain-JSON index of what channel steps need
// (servers, channels, operations, messages). The official parser (@asyncapi/parser) builds it in an edge
// (src/asyncapi/), which the loader receives as `LoadOptions.parseAsyncApi`: the parser is large and
// async, and nothing the workflow bundle imports may load it.
import type { JsonSchema } from '../model.js';

/** The AsyncAPI versions this engine reads (AsyncAPI 2.x has another operation model). */
export const SUPPORTED_ASYNCAPI_VERSION = /^3\.\d+\.\d+$/;

export interface AsyncApiServer {
  /** The key under `servers`. */
  name: string;
  protocol: string;
  host: string;
}

export interface AsyncApiMessage {
  /** The key under the channel's `messages`. */
  name: string;
  contentType?: string;
  /** JSON Schema of the headers (an object schema), `x-parser-*` keys removed. */
  headers?: JsonSchema;
  /** JSON Schema of the payload (only when its schemaFormat is JSON Schema / AsyncAPI schema). */
  payload?: JsonSchema;
  /** The message's correlationId `location`, e.g. `$message.header#/orderRequestId`. */
  correlationIdLocation?: string;
}

export interface AsyncApiChannel {
  /** The key under `channels`. */
  key: string;
  /** The channel's address (for Kafka, the topic); `null` when the address is dynamic/unknown. */
  address: string | null;
  /** The names of its address parameters (`{name}` in the address). */
  parameters: string[];
  /** The servers it is available on (names); empty means every server of the document. */
  servers: string[];
  messages: Record<string, AsyncApiMessage>;
}

export interface AsyncApiOperation {
  /** The key under `operations` (what an Arazzo `operationId` names). */
  id: string;
  action: 'send' | 'receive';
  /** The key of its channel. */
  channel: string;
  /** Keys (in its channel's `messages`) of the messages it names; empty means all of the channel's. */
  messages: string[];
  reply?: {
    /** The key of the reply channel, when the reply names one. */
    channel?: string;
    messages: string[];
  };
}

export interface AsyncApiIndex {
  /** The `asyncapi` version field. */
  version: string;
  /** In document order (the first one is the default server). */
  servers: AsyncApiServer[];
  channels: Record<string, AsyncApiChannel>;
  operations: Record<string, AsyncApiOperation>;
}

/** One problem the AsyncAPI parser reported, located in the description's text. */
export interface AsyncApiDiagnostic {
  severity: 'error' | 'warning' | 'hint';
  code: string;
  message: string;
  /** JSON path segments of the offending value. */
  path: Array<string | number>;
  /** 1-based, when the parser knows it. */
  line?: number;
  column?: number;
}

export interface AsyncApiParseResult {
  /** Absent when the description has errors the parser could not get past. */
  index?: AsyncApiIndex;
  diagnostics: AsyncApiDiagnostic[];
}

/** Parses the text of an AsyncAPI description read from `location` (an edge supplies it). */
export type ParseAsyncApi = (text: string, location: string) => Promise<AsyncApiParseResult>;
