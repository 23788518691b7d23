// Starts a real single-node Apache Kafka broker (KRaft: broker and controller in one JVM) from the jars
// scripts/kafka-install.mjs put in .tools/kafka/. One implementation serves `npm run kafka`, the e2e tests
// (test/support/kafka.ts) and the bench, the way src/devserver/dev-server.ts does for Temporal.
//
// Layout of the data folder: server.properties and log4j2.properties (written on every start),
// kraft-logs/ (Kafka's log.dirs: topics and the metadata log, formatted once with StorageTool) and
// broker.log (the JVM's output, appended across starts). Restarting on the same folder keeps every message.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafka, findJava } from '../../scripts/kafka-install.mjs';
import { freePort } from '../devserver/dev-server.js';

export interface KafkaBrokerOptions {
  /** Client (PLAINTEXT) port; 0 or absent picks a free one. Kept across restart(). */
  port?: number;
  /** The KRaft controller's port; 0 or absent picks a free one. */
  controllerPort?: number;
  /**
   * Data folder (created when missing; formatted when it holds no log dir yet, reused otherwise). Absent:
   * a temporary folder that stop() removes.
   */
  dataDir?: string;
  /** Partitions of an auto-created topic (num.partitions). Default 1. */
  numPartitions?: number;
  /** JVM heap: -Xmx / -Xms. Defaults 256m / 128m (a test broker, not a production one). */
  maxHeap?: string;
  initialHeap?: string;
  /** More broker properties (they win over the defaults written here). */
  properties?: Record<string, string | number | boolean>;
  /** Kafka's own log level in broker.log. Default INFO. */
  logLevel?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  readyTimeoutMs?: number;
  /** Aborts the start-up: the JVM is stopped and startKafkaBroker rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface KafkaBroker {
  /** `localhost:<port>`, for kafkajs `brokers: [bootstrap]`. */
  bootstrap: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The JVM's output (Kafka's log), appended across starts. */
  logFile: string;
  /**
   * The broker's process group (its leader, a small `sh` that runs the JVM and kills it when this process
   * dies); undefined while halted.
   */
  readonly pid: number | undefined;
  /** The group leader's ChildProcess; undefined while halted. */
  readonly process: ChildProcess | undefined;
  /** Milliseconds from spawning the JVM to the broker answering a metadata request, for the last start. */
  readonly startupMs: number;
  /**
   * Stops the JVM and keeps the data folder, so start() brings the same broker (same ports, same
   * messages) back. `{ hard: true }` is a crash: SIGKILL, no controlled shutdown.
   */
  halt(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again after halt(); resolves once it accepts connections. */
  start(): Promise<void>;
  /** halt() then start(): the same address, the log dir kept, so messages survive. */
  restart(options?: { hard?: boolean }): Promise<void>;
  /** Stops for good; a temporary data folder (no `dataDir` given) is removed. */
  stop(): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 90_000;

/**
 * Runs the JVM (`"$@"`) and ties its life to this process: a test runner killed with SIGKILL runs no exit
 * handler, and a 300 MB broker must not outlive it on a shared machine. The guard holds the read end of a pipe
 * from this process; when the pipe closes (this process died), it SIGKILLs the JVM. SIGTERM/SIGINT of the
 * group reach the JVM (a controlled shutdown) and the guard waits for it, so the group's exit means the JVM has
 * exited and released its ports and log dir.
 */
const GUARD = [
  'exec 3<&0',
  '"$@" <&- &',
  'jvm=$!',
  "trap 'kill -TERM $jvm 2>/dev/null' TERM INT",
  '( while read -r _; do :; done <&3; kill -KILL $jvm 2>/dev/null ) &',
  'watch=$!',
  'exec 3<&-',
  'rc=0',
  'while :; do wait $jvm; rc=$?; kill -0 $jvm 2>/dev/null || break; done',
  'kill $watch 2>/dev/null',
  'exit $rc',
].join('\n');
/** A controlled shutdown takes a few seconds; past this the JVM is killed. */
const STOP_GRACE_MS = 15_000;

export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  options.signal?.throwIfAborted();
  const java = findJava();
  if (!java) throw new Error('No `java` found (JAVA_HOME or PATH): the Kafka broker needs Java 17 or newer.');
  const install = ensureKafka();
  const port = options.port ? options.port : await freePort();
  let controllerPort = options.controllerPort ? options.controllerPort : await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'arazzo-kafka-')));
  mkdirSync(dataDir, { recursive: true });
  const logDir = join(dataDir, 'kraft-logs');
  const logFile = join(dataDir, 'broker.log');
  const propertiesFile = join(dataDir, 'server.properties');
  const log4jFile = join(dataDir, 'log4j2.properties');

  writeFileSync(
    propertiesFile,
    serverProperties({
      port,
      controllerPort,
      logDir,
      numPartitions: options.numPartitions ?? 1,
      extra: options.properties ?? {},
    }),
  );
  const jvmBase = [
    `-Xmx${options.maxHeap ?? '256m'}`,
    `-Xms${options.initialHeap ?? '128m'}`,
    // A test broker on a shared 2-core machine: the serial collector and the C1 compiler only start
    // faster and use less memory; peak throughput does not matter here.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp',
    install.classpath,
  ];

  // Formatted once: a folder that already holds a formatted log dir is a broker coming back.
  if (!existsSync(join(logDir, 'meta.properties'))) {
    writeFileSync(log4jFile, log4jProperties('WARN'));
    const format = spawnSync(
      java,
      [...jvmBase, 'kafka.tools.StorageTool', 'format', '--cluster-id', clusterId(), '--config', propertiesFile],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) {
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      throw new Error(
        `kafka.tools.StorageTool format failed (exit ${format.status}): ${(format.stderr || format.stdout || format.error?.message || '').trim()}`,
      );
    }
  }
  writeFileSync(log4jFile, log4jProperties(options.logLevel ?? 'INFO'));

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let exitInfo: string | undefined;
  let startupMs = 0;
  const killGroup = (signal: NodeJS.Signals) => {
    if (child?.pid === undefined || exitInfo) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Never leave a broker behind if this process goes away first.
  const killOnExit = () => killGroup('SIGKILL');

  const launch = async (signal?: AbortSignal) => {
    signal?.throwIfAborted();
    const out = openSync(logFile, 'a');
    const began = Date.now();
    exitInfo = undefined;
    try {
      // Its own process group, so stop() ends the JVM and anything it started; run through a guard that
      // kills the JVM when this process dies without stopping it (see GUARD).
      child = spawn('/bin/sh', ['-c', GUARD, 'kafka-broker', java, ...jvmBase, 'kafka.Kafka', propertiesFile], {
        detached: true,
        stdio: ['pipe', out, out],
      });
    } finally {
      closeSync(out);
    }
    const running = child;
    exited = new Promise<void>((done) => {
      running.once('exit', (code, sig) => {
        exitInfo = `code ${code}, signal ${sig}`;
        running.stdin?.destroy();
        done();
      });
    });
    // The guard's pipe must not keep this process alive, nor fail it when the guard is gone.
    running.stdin?.on('error', () => {});
    (running.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    const onAbort = () => killGroup('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await waitUntilReady({
        bootstrap: `localhost:${port}`,
        timeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        givenUp: () => {
          if (signal?.aborted) return 'start-up aborted';
          if (exitInfo)
            return `the Kafka broker exited during start-up (${exitInfo}); see ${logFile}:\n${tail(logFile)}`;
          return undefined;
        },
      });
      startupMs = Date.now() - began;
    } catch (err) {
      await halt();
      throw signal?.aborted ? signal.reason : err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const halt = async ({ hard = false }: { hard?: boolean } = {}) => {
    if (!child || exitInfo) return;
    killGroup(hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  let stopped = false;
  const start = async () => {
    if (stopped) throw new Error('this Kafka broker was stopped for good; start a new one');
    if (child && !exitInfo) return;
    await launch();
  };
  process.on('exit', killOnExit);
  try {
    await launch(options.signal);
  } catch (err) {
    process.removeListener('exit', killOnExit);
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    bootstrap: `localhost:${port}`,
    port,
    controllerPort,
    dataDir,
    logFile,
    get pid() {
      return child && !exitInfo ? child.pid : undefined;
    },
    get startupMs() {
      return startupMs;
    },
    halt,
    get process() {
      return child && !exitInfo ? child : undefined;
    },
    start,
    async restart(restartOptions) {
      await halt(restartOptions);
      await start();
    },
    async stop() {
      stopped = true;
      await halt();
      process.removeListener('exit', killOnExit);
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface PropertiesInput {
  port: number;
  controllerPort: number;
  logDir: string;
  numPartitions: number;
  extra: Record<string, string | number | boolean>;
}

/** A combined broker+controller node with replication factors of 1 (there is one node). */
function serverProperties(input: PropertiesInput): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${input.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${input.port},CONTROLLER://127.0.0.1:${input.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://localhost:${input.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': input.logDir,
    'num.partitions': input.numPartitions,
    'auto.create.topics.enable': true,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // After a crash (SIGKILL) the controller refuses the returning broker until the dead incarnation's
    // session expires (DUPLICATE_BROKER_REGISTRATION): 9 s by default, 3 s here.
    'broker.session.timeout.ms': 3_000,
    'broker.heartbeat.interval.ms': 500,
    // A consumer group's first member should not wait 3 s for others that never come.
    'group.initial.rebalance.delay.ms': 0,
    ...input.extra,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

function log4jProperties(level: string): string {
  return [
    'status = warn',
    'appender.out.type = Console',
    'appender.out.name = out',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.out.ref = out',
    '',
  ].join('\n');
}

/** A KRaft cluster id: 16 random bytes, base64url (what `kafka-storage random-uuid` prints). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // A leading '-' would read as a command-line flag.
    if (!id.startsWith('-')) return id;
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface ReadinessCheck {
  bootstrap: string;
  timeoutMs: number;
  givenUp: () => string | undefined;
}

/**
 * Ready means a Kafka client gets an answer: the admin client connects and the cluster description lists
 * the broker (so its listener is up and the controller has registered it). An open port alone is not
 * enough: the socket server accepts before the broker has caught up with the metadata log.
 */
async function waitUntilReady(check: ReadinessCheck): Promise<void> {
  const deadline = Date.now() + check.timeoutMs;
  let lastError: unknown;
  const kafka = new Kafka({
    clientId: 'arazzo-kafka-readiness',
    brokers: [check.bootstrap],
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  while (Date.now() < deadline) {
    const why = check.givenUp();
    if (why) throw new Error(why);
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
      lastError = new Error('no broker registered yet');
    } catch (err) {
      lastError = err;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Kafka broker at ${check.bootstrap} was not ready within ${check.timeoutMs} ms: ${lastError}`);
}
