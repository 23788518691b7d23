// The request pipeline both simulators share, on plain node:http: read, route, faults before the state
// change, the handler (synchronous: a state change is atomic), faults after it, respond; audit every step
// and hand the exact bytes sent to the exchange hooks (the official-contract check is one of them).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry, AuditLog, CredentialRef, StateEvent } from './audit-log.js';
import type { FaultInjector } from './faults.js';
import type { SecretRedactor } from './masking.js';
import type { CompiledRoute } from './router.js';

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  bodyText: string;
  /** Parsed JSON body; undefined when empty or not JSON (`jsonError` tells which). */
  body: unknown;
  jsonError: boolean;
  params: Record<string, string>;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON; omit for an empty body (204). */
  body?: unknown;
}

export interface HandlerResult {
  response: SimResponse;
  events?: StateEvent[];
  /** Id of the credential that authenticated the request. */
  authenticatedAs?: string;
}

export type RouteHandler = (req: SimRequest) => HandlerResult;

/** One request/response as it went over the wire (unredacted: hooks run in-process and must not print it). */
export interface Exchange {
  seq: number;
  route?: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  /** True when a fault injector produced this response rather than the simulated API. */
  injected: boolean;
}

export type ExchangeHook = (exchange: Exchange) => void;

export interface SimulatorServerOptions {
  port?: number;
  host?: string;
  routes: CompiledRoute<RouteHandler>[];
  /** The provider's answer for a path/method it does not have. */
  unmatched(req: SimRequest): SimResponse;
  /** The provider's error body for an injected status. */
  faultBody(status: number): unknown;
  faults: FaultInjector;
  audit: AuditLog;
  redactor: SecretRedactor;
  validCredentials(): CredentialRef[];
  hooks: ExchangeHook[];
}

export interface SimulatorServer {
  /** `http://host:port` (no base path). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err) => {
      // A bug in the pipeline itself: answer 500 so the client is not left hanging; the contract check flags it.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(options.faultBody(500)));
      process.emitWarning(`simulator pipeline error: ${(err as Error).message}`);
    });
  });
  // Keep-alive sockets would otherwise keep close() waiting for clients' idle timeouts.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      options.faults.clear(); // releases held requests so nothing waits forever
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function handle(o: SimulatorServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const query = Object.fromEntries(url.searchParams);
  const bodyText = await readBody(req);
  let body: unknown;
  let jsonError = false;
  if (bodyText.length > 0) {
    try {
      body = JSON.parse(bodyText);
    } catch {
      jsonError = true;
    }
  }
  const base = { method, path: url.pathname, query, headers: req.headers, bodyText, body, jsonError };
  const auditRequest = {
    method,
    path: url.pathname,
    query: o.redactor.redact(query) as Record<string, string>,
    headers: o.redactor.redactHeaders(req.headers),
    body: o.redactor.redact(jsonError ? bodyText : body),
  };

  let route: CompiledRoute<RouteHandler> | undefined;
  let params: Record<string, string> | undefined;
  for (const r of o.routes) {
    if (r.method !== method) continue;
    params = r.match(url.pathname);
    if (params) {
      route = r;
      break;
    }
  }
  if (!route || !params) {
    const entry = o.audit.append(entryBase(o, auditRequest, undefined, [], []));
    send(o, res, entry, o.unmatched({ ...base, params: {} }), false);
    return;
  }

  const applied: string[] = [];
  const before = await o.faults.apply(route.key, 'before-state-change', base);
  applied.push(...before.applied);
  if (before.type !== 'continue') {
    const entry = o.audit.append(entryBase(o, auditRequest, route.key, applied, []));
    finishFault(o, res, entry, before);
    return;
  }

  const result = route.handler({ ...base, params });
  const events = result.events ?? [];
  if (events.length > 0) o.audit.recordState(o.validCredentials());
  const entry = o.audit.append({
    ...entryBase(o, auditRequest, route.key, applied, events),
    authenticatedAs: result.authenticatedAs,
  });

  const after = await o.faults.apply(route.key, 'after-state-change', base);
  entry.faults.push(...after.applied);
  if (after.type !== 'continue') {
    finishFault(o, res, entry, after);
    return;
  }
  send(o, res, entry, result.response, false);
}

function entryBase(
  o: SimulatorServerOptions,
  request: AuditEntry['request'],
  route: string | undefined,
  faults: string[],
  events: StateEvent[],
): Omit<AuditEntry, 'seq' | 'at'> {
  return { source: 'http', route, request, outcome: 'pending', faults, events, validCredentials: o.validCredentials() };
}

function finishFault(
  o: SimulatorServerOptions,
  res: ServerResponse,
  entry: AuditEntry,
  outcome: Exclude<Awaited<ReturnType<FaultInjector['apply']>>, { type: 'continue' }>,
): void {
  if (outcome.type === 'drop') {
    entry.outcome = 'dropped';
    entry.response = null;
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (outcome.retryAfterSeconds !== undefined) headers['retry-after'] = String(outcome.retryAfterSeconds);
  send(o, res, entry, { status: outcome.status, headers, body: outcome.body ?? o.faultBody(outcome.status) }, true);
}

function send(o: SimulatorServerOptions, res: ServerResponse, entry: AuditEntry, r: SimResponse, injected: boolean) {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let bodyText = '';
  if (r.body !== undefined) {
    bodyText = JSON.stringify(r.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(bodyText));
  res.writeHead(r.status, headers);
  res.end(bodyText);
  entry.outcome = 'responded';
  entry.response = { status: r.status, headers: o.redactor.redactHeaders(headers), body: o.redactor.redact(r.body) };
  const exchange: Exchange = {
    seq: entry.seq,
    route: entry.route,
    method: entry.request?.method ?? '',
    path: entry.request?.path ?? '',
    query: entry.request?.query ?? {},
    status: r.status,
    headers,
    bodyText,
    injected,
  };
  for (const hook of o.hooks) {
    try {
      hook(exchange);
    } catch (err) {
      // A hook is an observer; its failure must not turn into a second response on this socket.
      process.emitWarning(`simulator exchange hook failed: ${(err as Error).message}`);
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
