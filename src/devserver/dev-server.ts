// Starts `temporal server start-dev` ourselves instead of through TestWorkflowEnvironment.createLocal:
// the SDK can't download the server here, and createLocal's hard 5 s start limit fails on a busy
// 2-core machine. One implementation serves `npm run server`, the test harness, the demo and the bench.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes.js';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import { arazzoSearchAttributes } from '../workflows/contract.js';

export interface DevServerOptions {
  /** The `temporal` binary; found or installed by scripts/temporal-install.mjs when absent. */
  cliPath?: string;
  ip?: string;
  /** gRPC port; 0 picks a free one. */
  port?: number;
  /** Web UI port; 0 picks a free one; `false` runs headless. */
  uiPort?: number | false;
  /** SQLite file for persistent state; in-memory when absent. */
  dbFile?: string;
  namespace?: string;
  searchAttributes?: readonly SearchAttributeKey<SearchAttributeType>[];
  /** Remote codec the Web UI's browser side calls to decode payloads. */
  uiCodecEndpoint?: string;
  /** Server log level passed to the CLI. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  /** Where the server's own output goes. */
  stdio?: 'inherit' | 'ignore';
  extraArgs?: string[];
  readyTimeoutMs?: number;
  /**
   * Aborts the start-up (SIGINT/SIGTERM of the process that asked for the server): the `temporal`
   * process is stopped (SIGTERM, SIGKILL after a grace period) and startDevServer rejects with the
   * signal's reason once it has exited. Once the server is ready it is the caller's to stop.
   */
  signal?: AbortSignal;
}

export interface DevServer {
  /** host:port for clients and workers. */
  address: string;
  namespace: string;
  uiUrl?: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** A port the OS says is free right now (there is a small race until the server binds it). */
export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, ip, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const SEARCH_ATTRIBUTE_TYPE_NAMES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const { signal } = options;
  signal?.throwIfAborted();
  const cli = options.cliPath ?? ensureTemporalCli();
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port === 0 || options.port === undefined ? await freePort(ip) : options.port;
  const uiPort = options.uiPort === false ? undefined : options.uiPort ? options.uiPort : await freePort(ip);
  const namespace = options.namespace ?? 'default';
  const searchAttributes = options.searchAttributes ?? arazzoSearchAttributes;

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace];
  args.push('--log-level', options.logLevel ?? 'error');
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', ip);
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const key of searchAttributes) {
    args.push('--search-attribute', `${key.name}=${SEARCH_ATTRIBUTE_TYPE_NAMES[key.type] ?? key.type}`);
  }
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  args.push(...(options.extraArgs ?? []));

  signal?.throwIfAborted();
  const child = spawn(cli, args, { stdio: ['ignore', options.stdio ?? 'ignore', options.stdio ?? 'ignore'] });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  // Never leave a server behind if this process goes away first.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    })();
    return stopping;
  };
  // An abort during start-up stops the child at once; the readiness checks below then end too.
  const onAbort = () => void stop();
  signal?.addEventListener('abort', onAbort, { once: true });

  const address = `${ip}:${port}`;
  const givenUp = (): string | undefined => {
    if (signal?.aborted) return 'start-up aborted';
    if (exited) return `temporal server exited during start-up (code ${exited.code}, signal ${exited.signal})`;
    return undefined;
  };
  try {
    await waitUntilReady({
      address,
      namespace,
      searchAttributeNames: searchAttributes.map((k) => k.name),
      timeoutMs: options.readyTimeoutMs ?? 90_000,
      givenUp,
    });
    if (uiPort !== undefined) {
      await waitForHttp(`http://${ip}:${uiPort}/`, options.readyTimeoutMs ?? 90_000, givenUp);
    }
    signal?.throwIfAborted();
  } catch (err) {
    await stop();
    throw signal?.aborted ? signal.reason : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return {
    address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://${ip}:${uiPort}`,
    process: child,
    stop,
  };
}

interface ReadinessCheck {
  address: string;
  namespace: string;
  searchAttributeNames: string[];
  timeoutMs: number;
  /** Why waiting is pointless now (the process exited, the start-up was aborted), if it is. */
  givenUp: () => string | undefined;
}

/**
 * Ready means: the frontend answers, every custom search attribute is registered, and a visibility
 * query that filters on them succeeds. Registration is asynchronous on a fresh database, and a
 * workflow that upserts an attribute the server doesn't know yet fails its task, so "port open" is
 * not enough.
 */
async function waitUntilReady(check: ReadinessCheck): Promise<void> {
  const deadline = Date.now() + check.timeoutMs;
  let lastError: unknown;
  let connection: Connection | undefined;
  try {
    while (Date.now() < deadline) {
      const why = check.givenUp();
      if (why) throw new Error(why);
      try {
        connection ??= await Connection.connect({ address: check.address, connectTimeout: 2_000 });
        const listed = await connection.operatorService.listSearchAttributes({ namespace: check.namespace });
        const missing = check.searchAttributeNames.filter((name) => !listed.customAttributes?.[name]);
        if (missing.length) throw new Error(`search attributes not registered yet: ${missing.join(', ')}`);
        if (check.searchAttributeNames.length) {
          const query = check.searchAttributeNames.map((n) => `${n} = "readiness-probe"`).join(' AND ');
          await connection.workflowService.countWorkflowExecutions({ namespace: check.namespace, query });
        }
        return;
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    throw new Error(`temporal server at ${check.address} was not ready within ${check.timeoutMs} ms: ${lastError}`);
  } finally {
    await connection?.close();
  }
}

async function waitForHttp(url: string, timeoutMs: number, givenUp: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const why = givenUp();
    if (why) throw new Error(why);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Web UI at ${url} did not answer within ${timeoutMs} ms: ${lastError}`);
}
