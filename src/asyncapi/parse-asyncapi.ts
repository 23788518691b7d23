// The edge that reads AsyncAPI descriptions with the official parser (@asyncapi/parser) and hands the
// pure core a plain-JSON index (src/arazzo/document/asyncapi-index.ts). Only loaders import this
// module (the CLI's read-document.ts and the loadPlan activity), never code the workflow bundle
// reaches: the parser is large, and loaded on first use (about a second).
import type {
  AsyncApiChannel,
  AsyncApiDiagnostic,
  AsyncApiIndex,
  AsyncApiMessage,
  AsyncApiOperation,
  AsyncApiParseResult,
} from '../arazzo/document/asyncapi-index.js';
import type { JsonSchema } from '../arazzo/model.js';

type ParserModule = typeof import('@asyncapi/parser');
type AsyncApiDocument = NonNullable<Awaited<ReturnType<InstanceType<ParserModule['Parser']>['parse']>>['document']>;

let parserPromise: Promise<InstanceType<ParserModule['Parser']>> | undefined;

function parser(): Promise<InstanceType<ParserModule['Parser']>> {
  parserPromise ??= import('@asyncapi/parser').then((module) => new module.Parser());
  return parserPromise;
}

/** Spectral's severities: 0 error, 1 warning, 2 information, 3 hint. */
const SEVERITIES: Record<number, AsyncApiDiagnostic['severity']> = { 0: 'error', 1: 'warning', 2: 'hint', 3: 'hint' };

/** Parses (and validates) one AsyncAPI description's text; never throws for a bad description. */
export async function parseAsyncApi(text: string, location: string): Promise<AsyncApiParseResult> {
  const { document, diagnostics } = await (await parser()).parse(text, { source: location });
  const found: AsyncApiDiagnostic[] = diagnostics.map((diagnostic) => ({
    severity: SEVERITIES[diagnostic.severity as number] ?? 'hint',
    code: String(diagnostic.code),
    message: diagnostic.message,
    path: [...diagnostic.path],
    ...(diagnostic.range
      ? { line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1 }
      : {}),
  }));
  return document ? { index: indexOf(document), diagnostics: found } : { diagnostics: found };
}

function indexOf(document: AsyncApiDocument): AsyncApiIndex {
  const channels: Record<string, AsyncApiChannel> = {};
  for (const channel of document.channels().all()) {
    const messages: Record<string, AsyncApiMessage> = {};
    for (const message of channel.messages().all()) {
      const payload = message.payload();
      const headers = message.headers();
      const contentType = message.contentType();
      const location = message.correlationId()?.location();
      messages[message.id()] = {
        name: message.id(),
        ...(contentType ? { contentType } : {}),
        ...(headers ? { headers: plainSchema(headers.json()) } : {}),
        ...(payload && isJsonSchemaFormat(message.schemaFormat()) ? { payload: plainSchema(payload.json()) } : {}),
        ...(location ? { correlationIdLocation: location } : {}),
      };
    }
    channels[channel.id()] = {
      key: channel.id(),
      address: channel.address() ?? null,
      parameters: channel
        .parameters()
        .all()
        .map((parameter) => parameter.id()),
      servers: channel
        .servers()
        .all()
        .map((server) => server.id()),
      messages,
    };
  }
  const operations: Record<string, AsyncApiOperation> = {};
  for (const operation of document.operations().all()) {
    const channel = operation.channels().all()[0];
    const reply = operation.reply();
    const action = operation.action();
    const id = operation.id() ?? '';
    operations[id] = {
      id,
      action: action === 'send' ? 'send' : 'receive',
      channel: channel?.id() ?? '',
      messages: operation
        .messages()
        .all()
        .map((message) => message.id()),
      ...(reply
        ? {
            reply: {
              ...(reply.channel() ? { channel: reply.channel()!.id() } : {}),
              messages: reply
                .messages()
                .all()
                .map((message) => message.id()),
            },
          }
        : {}),
    };
  }
  return {
    version: document.version(),
    servers: document
      .servers()
      .all()
      .map((server) => ({ name: server.id(), protocol: server.protocol(), host: server.host() })),
    channels,
    operations,
  };
}

/** AsyncAPI schema format (the default) and JSON Schema are what the core can check payloads with. */
function isJsonSchemaFormat(format: string | undefined): boolean {
  return (
    format === undefined ||
    format.startsWith('application/vnd.aai.asyncapi') ||
    format.startsWith('application/schema+json') ||
    format.startsWith('application/schema+yaml')
  );
}

/** A copy without the parser's `x-parser-*` annotations; a cycle becomes `{}` (anything). */
function plainSchema(value: unknown, seen = new Set<unknown>()): JsonSchema {
  return copy(value, seen) as JsonSchema;
}

function copy(value: unknown, seen: Set<unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return {};
  seen.add(value);
  const out = Array.isArray(value)
    ? value.map((item) => copy(item, seen))
    : Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !key.startsWith('x-parser-'))
          .map(([key, item]) => [key, copy(item, seen)]),
      );
  seen.delete(value);
  return out;
}
