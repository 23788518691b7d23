// Remote codec for the Temporal Web UI and the `temporal` CLI (`--codec-endpoint`): POST /encode and
// POST /decode with `{"payloads": [{"metadata": {"k": "<base64>"}, "data": "<base64>"}]}`.
// Bound to loopback by default; on any other address a bearer token is required. CORS answers only
// the configured UI origins (a browser page from any other origin gets 403). Payloads are never logged:
// a log line has the method, path, status, payload count and duration only.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8888; 0 picks a free port. */
  port?: number;
  /** Origins allowed to call from a browser (the Web UI), e.g. `http://127.0.0.1:8233`. */
  allowedOrigins?: string[];
  /** Required as `Authorization: Bearer <token>` when set; mandatory on non-loopback addresses. */
  token?: string;
  /** One line per request, without payloads. */
  log?: (line: string) => void;
  maxBodyBytes?: number;
}

export interface CodecServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

function fromJson(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token) {
    throw new Error(`the codec server binds ${host}, which is not loopback: set a token (ARAZZO_CODEC_TOKEN)`);
  }
  const origins = new Set(options.allowedOrigins ?? []);
  const log = options.log ?? (() => {});
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<[number, number]> => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) return [send(res, 403, { error: 'origin not allowed' }), 0];
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return [204, 0];
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || (path !== '/encode' && path !== '/decode')) {
      return [send(res, 404, { error: 'POST /encode or /decode' }), 0];
    }
    if (options.token) {
      const auth = req.headers.authorization ?? '';
      const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!sameToken(given, options.token)) return [send(res, 401, { error: 'missing or wrong bearer token' }), 0];
    }
    let body: { payloads?: JsonPayload[] };
    try {
      body = JSON.parse(await readBody(req, limit));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 400;
      return [send(res, status, { error: status === 413 ? 'body too large' : 'expected JSON' }), 0];
    }
    // The `temporal` CLI sends `{}` when there is nothing to encode (a query without arguments): no payloads.
    const listed = body && typeof body === 'object' && body.payloads === undefined ? [] : body?.payloads;
    if (!Array.isArray(listed)) return [send(res, 400, { error: 'expected {"payloads": [...]}' }), 0];
    const payloads = listed.map(fromJson);
    try {
      const out = path === '/encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      return [send(res, 200, { payloads: out.map(toJson) }), payloads.length];
    } catch (err) {
      // The message names a key id at most; never a payload.
      const message = err instanceof Error ? err.message : 'codec error';
      return [send(res, 400, { error: message }), payloads.length];
    }
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    handle(req, res)
      .then(([status, count]) => {
        log(
          `codec ${req.method} ${(req.url ?? '').split('?')[0]} ${status} payloads=${count} ${Date.now() - started}ms`,
        );
      })
      .catch(() => {
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        log(`codec ${req.method} ${(req.url ?? '').split('?')[0]} 500`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
  return status;
}
