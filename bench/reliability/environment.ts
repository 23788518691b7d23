// What every case of the reliability matrix shares: a Temporal dev server on a persistent SQLite file (so it can
// be SIGKILLed and started again on the same port and database), one workflow bundle, a codec key of its own
// (history is encrypted, as in production), the worker's secret directories, and worker processes started from
// test/support/worker-process.ts exactly as an operator runs `npm run worker` (policy from the environment).
// Every process it starts is killed when this process exits, however it exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath, getDataConverter } from '../../src/codec/data-converter.js';
import { formatKeyList, newKey } from '../../src/codec/keys.js';
import { type DevServer, freePort, startDevServer } from '../../src/devserver/dev-server.js';
import { workflowPreloadModules, workflowsPath } from '../../src/worker.js';

const workerScript = fileURLToPath(new URL('../../test/support/worker-process.ts', import.meta.url));

/** Every child process still running; killed on exit. */
const children = new Set<ChildProcess>();
let workDirToRemove: string | undefined;

function killEverything() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (workDirToRemove) rmSync(workDirToRemove, { recursive: true, force: true });
}
process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping every process the matrix started`);
    process.exit(130);
  });
}

export interface WorkerHandle {
  pid: number;
  taskQueue: string;
  alive(): boolean;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface ReliabilityEnv {
  client: Client;
  connection: Connection;
  namespace: string;
  /** Where the worker reads `file:` secret references from (ARAZZO_SECRETS_DIR). */
  secretsDir: string;
  /** Where the worker delivers minted secrets (ARAZZO_SECRET_SINK_DIR). */
  sinkDir: string;
  /** Scratch (test-hook markers, per case). */
  workDir: string;
  logDir: string;
  server(): DevServer;
  /** SIGKILL the Temporal server (its database survives). */
  killServer(): Promise<void>;
  /** Start it again on the same port and database. */
  restartServer(): Promise<void>;
  startWorker(taskQueue: string, label: string, extraEnv?: Record<string, string>): Promise<WorkerHandle>;
  close(): Promise<void>;
}

const silent = () => {};

export async function startReliabilityEnv(logDir: string): Promise<ReliabilityEnv> {
  // A key of the matrix's own: every payload is encrypted; the client and the workers share it through the env.
  process.env.ARAZZO_CODEC_KEYS = formatKeyList([newKey('reliability')]);
  const workDir = mkdtempSync(join(tmpdir(), 'arazzo-reliability-'));
  workDirToRemove = workDir;
  const secretsDir = join(workDir, 'secrets');
  const sinkDir = join(workDir, 'sink');
  mkdirSync(secretsDir, { mode: 0o700 });
  mkdirSync(sinkDir, { mode: 0o700 });
  mkdirSync(logDir, { recursive: true });
  const dbFile = join(workDir, 'temporal.db');
  const port = await freePort();
  let server = await startDevServer({ port, uiPort: false, dbFile });
  children.add(server.process);

  const bundle = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    preloadModules: workflowPreloadModules,
    logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: console.error },
  });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace, dataConverter: getDataConverter() });
  let workers = 0;

  return {
    client,
    connection,
    namespace: server.namespace,
    secretsDir,
    sinkDir,
    workDir,
    logDir,
    server: () => server,
    async killServer() {
      const exited = new Promise((r) => server.process.once('exit', r));
      server.process.kill('SIGKILL');
      await exited;
    },
    async restartServer() {
      server = await startDevServer({ port, uiPort: false, dbFile });
      children.add(server.process);
    },
    async startWorker(taskQueue, label, extraEnv = {}) {
      const n = ++workers;
      const log = createWriteStream(join(logDir, `worker-${String(n).padStart(3, '0')}-${label}.log`));
      const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: server.address,
          TEMPORAL_NAMESPACE: server.namespace,
          ARAZZO_TASK_QUEUE: taskQueue,
          ARAZZO_WORKFLOW_BUNDLE: bundlePath,
          ARAZZO_SECRETS_DIR: secretsDir,
          ARAZZO_SECRET_SINK_DIR: sinkDir,
          ARAZZO_ALLOWED_SERVER_HOSTS: '127.0.0.1',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      exited.then(() => children.delete(child));
      let output = '';
      const collect = (d: Buffer) => {
        if (output.length < 4096) output += d;
        log.write(d);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      exited.then(() => log.end());
      const deadline = Date.now() + 90_000;
      while (!output.includes('worker ready')) {
        if (child.exitCode !== null || Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`worker ${label} did not start: ${output.slice(0, 500)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const alive = () => child.exitCode === null && child.signalCode === null;
      return {
        pid: child.pid!,
        taskQueue,
        alive,
        async kill() {
          if (!alive()) return;
          child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (!alive()) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
    },
    async close() {
      for (const child of children) if (child !== server.process) child.kill('SIGKILL');
      await connection.close().catch(() => {});
      await server.stop();
      rmSync(workDir, { recursive: true, force: true });
      workDirToRemove = undefined;
    },
  };
}
