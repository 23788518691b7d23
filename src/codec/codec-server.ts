// Remote codec for the Temporal Web UI and the `temporal` CLI (`--codec-endpoint`): POST /encode and
// POST /decode with `{"payloads": [{"metadata": {"k": "<base64>"}, "data": "<base64>"}]}`.
// It decrypts whatever it is given, so it requires authentication (threat model: README.md here):
//   - `Authorization: Bearer <token>` (the `temporal` CLI: `--codec-auth` / TEMPORAL_CODEC_AUTH), or
//   - the session cookie a browser gets from /login with the token (the Web UI, with "include
//     cross-origin credentials"); the cookie is derived from the token, never the token itself.
// Without a token only when the caller says so explicitly (`insecureNoAuth`), and only on loopback.
// CORS answers only the configured UI origins (a browser page from any other origin gets 403).
// Payloads and tokens are never logged: a log line has method, path, status, payload count, duration.
import { createHmac, timingSafeEqual } from 'node:crypto';
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
  /** Required as `Authorization: Bearer <token>` (or the /login cookie). Mandatory unless insecureNoAuth. */
  token?: string;
  /** Development only, loopback only: no authentication at all (any local process can decrypt). */
  insecureNoAuth?: boolean;
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

export const SESSION_COOKIE = 'arazzo_codec';

/** The browser session value for a token: proves the token was given, does not reveal it. */
function sessionOf(token: string): string {
  return createHmac('sha256', token).update('arazzo-codec-session-v1').digest('base64url');
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ') && sameToken(auth.slice(7).trim(), token)) return true;
  const session = cookieValue(req, SESSION_COOKIE);
  return session !== undefined && sameToken(session, sessionOf(token));
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family: sans-serif; max-width: 42em; margin: 3em auto">${body}</body></html>`;

const LOGIN_FORM = page(
  'arazzo-temporal codec server',
  '<h1>Codec server: authorize this browser</h1>' +
    '<p>Paste the codec token (the file the codec server named when it started, e.g. <code>.secrets/codec-token</code>).</p>' +
    '<form method="post" action="/login"><input name="token" type="password" size="50" autocomplete="off" autofocus> ' +
    '<button type="submit">Authorize</button></form>',
);

const LOGGED_IN = page(
  'arazzo-temporal codec server',
  '<h1>This browser may now decode</h1><p>In the Temporal Web UI: Codec Server &rarr; use my browser setting &rarr; ' +
    'this endpoint &rarr; tick <b>Include cross-origin credentials</b> &rarr; Apply.</p>',
);

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
  const token = options.token || undefined;
  if (token && options.insecureNoAuth) throw new Error('the codec server got a token and insecureNoAuth: choose one');
  if (!token && !options.insecureNoAuth) {
    throw new Error('the codec server needs a token (or, on loopback for development only, insecureNoAuth)');
  }
  if (!isLoopback(host) && !token) {
    throw new Error(`the codec server binds ${host}, which is not loopback: set a token (ARAZZO_CODEC_TOKEN)`);
  }
  const origins = new Set(options.allowedOrigins ?? []);
  const log = options.log ?? (() => {});
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<[number, number]> => {
    const origin = req.headers.origin;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/login') return [await login(req, res), 0];
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
    if (req.method !== 'POST' || (path !== '/encode' && path !== '/decode')) {
      return [send(res, 404, { error: 'POST /encode or /decode' }), 0];
    }
    if (token && !authorized(req, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="arazzo-temporal codec"');
      return [
        send(res, 401, { error: 'authentication required: a bearer token, or a browser session from /login' }),
        0,
      ];
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

  /** GET: a form; POST (form or JSON `token`): a session cookie for this browser when the token is right. */
  const login = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    if (!token) return send(res, 404, { error: 'this codec server runs without authentication' });
    if (req.method === 'GET') return sendHtml(res, 200, LOGIN_FORM);
    if (req.method !== 'POST') return send(res, 405, { error: 'GET or POST /login' });
    // A form from this page (its own origin) or a call without a browser; never another site's page.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}` && !origins.has(origin)) {
      return send(res, 403, { error: 'origin not allowed' });
    }
    let given = '';
    try {
      const raw = await readBody(req, 4096);
      given = (req.headers['content-type'] ?? '').includes('application/json')
        ? String((JSON.parse(raw) as { token?: unknown }).token ?? '')
        : (new URLSearchParams(raw).get('token') ?? '');
    } catch {
      return send(res, 400, { error: 'expected a token' });
    }
    if (!sameToken(given.trim(), token)) return sendHtml(res, 401, page('codec server', '<p>Wrong token.</p>'));
    res.setHeader(
      'Set-Cookie',
      `${SESSION_COOKIE}=${sessionOf(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${12 * 3600}`,
    );
    return sendHtml(res, 200, LOGGED_IN);
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

function sendHtml(res: ServerResponse, status: number, html: string): number {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'x-frame-options': 'DENY',
  });
  res.end(html);
  return status;
}

function send(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
  return status;
}
