// README.md's "Message steps on Kafka (Arazzo 1.1)", executed VERBATIM: every ```sh block marked
// `<!-- readme-test: messages NAME -->` runs in bash as written, from the project's root. Two of them start
// long-running processes, which this test starts in the background as the README does, reads what they print,
// and stops (their process group) at the end: `worker` (`npx arazzo-temporal worker`, so the CLI's worker is the
// one that runs the channel listener) and `simulate` (the simulators with the pet store's order application and
// the application that reloads a rotated credential, src/simulators/cli.ts). The one block it does not run is unmarked: `npm run kafka` (this file has
// its own broker, test/support/kafka.ts, on free ports). The Prisma simulator is in this process
// (test/support/simulators.ts), so the test can ask it which requests came and which credentials work.
// Only what the README tells the reader to export comes from this test (TEMPORAL_ADDRESS, KAFKA, SINK_DIR, the
// pet store's URL and password as `simulate` printed them, the Prisma simulator's URL and ids, PRISMA_TOKEN in the
// worker's terminal only), plus the worker's task queue through ARAZZO_TASK_QUEUE (so this file's worker is not
// shared) and the simulators' ports through their documented PRISMA_SIM_PORT / DEEPGRAM_SIM_PORT /
// PETSTORE_SIM_PORT = 0 (free ports, so a developer's own `npm run simulate` does not collide).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/arazzo/secrets/mask.js';
import { cliEnv, projectRoot } from '../support/cli.js';
import { useKafkaBroker } from '../support/kafka.js';
import { requestsWith } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { bash, readmeBlocks } from '../support/readme.js';

const BLOCKS = ['worker', 'simulate', 'pet-start', 'rotate-start', 'rotate-approve'];

const kafka = useKafkaBroker();

describe('README: message steps on Kafka, run verbatim', () => {
  const sims = useSimulators();
  const blocks = readmeBlocks('messages');
  let env: TemporalTestEnv;
  let work: string;
  let sinkDir: string;
  let taskQueue: string;
  const background: Background[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-readme-messages-'));
    sinkDir = join(work, 'delivered');
    taskQueue = env.uniqueTaskQueue('readme-messages');
  }, 120_000);
  afterAll(async () => {
    await Promise.all(background.map((b) => b.stop()));
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('marks exactly the blocks this test runs', () => {
    expect([...blocks.keys()]).toEqual(BLOCKS);
  });

  it('buys a pet through the order application, then rotates announcing credential-rotated, and the application reloads', async () => {
    const shell: Record<string, string> = {
      ...(cliEnv({ ARAZZO_TASK_QUEUE: taskQueue }) as Record<string, string>),
      npm_config_offline: 'true',
      KAFKA: kafka.broker.bootstrap,
      SINK_DIR: sinkDir,
      PRISMA_SIM_PORT: '0',
      DEEPGRAM_SIM_PORT: '0',
      PETSTORE_SIM_PORT: '0',
    };
    delete (shell as Record<string, string | undefined>).PRISMA_TOKEN; // the shell never has the token
    const outputs: string[] = [];
    const run = async (name: string) => {
      const result = await bash(blocks.get(name)!, shell);
      outputs.push(result.stdout, result.stderr);
      expect(result.code, `${name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const start = (name: string, extra: Record<string, string> = {}) => {
      const b = startBackground(name, blocks.get(name)!, { ...shell, ...extra });
      background.push(b);
      return b;
    };

    // The Prisma simulator, seeded; its token is in the worker's terminal only.
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const worker = start('worker', { PRISMA_TOKEN: seeded.serviceToken });
    await worker.waitFor(new RegExp(`^arazzo worker polling task queue "${taskQueue}"`, 'm'), 90_000);

    // The simulators with the two Kafka applications, as the README starts them; the reader exports what they print.
    const simulate = start('simulate');
    const printed = await simulate.waitFor(/^ready$/m, 90_000);
    expect(printed).toContain(`Kafka counterparts                 ${kafka.broker.bootstrap}`);
    expect(printed).toContain(`rotation listener       credential-rotated -> reloads from ${sinkDir}`);
    shell.PETSTORE_URL = /^Pet store simulator +(\S+)$/m.exec(printed)![1];
    shell.PETSTORE_PASSWORD = /^Pet store simulator[\s\S]*?^ {2}password +(\S+)$/m.exec(printed)![1];

    // The pet purchase: completed, with the order id the application gave for that orderRequestId.
    const bought = await run('pet-start');
    expect(bought).toMatch(/^run \S+: completed$/m);
    const orderId = /^output orderId: (\d+)$/m.exec(bought)?.[1];
    expect(orderId, bought).toBeDefined();
    const answered = await simulate.waitFor(
      /^\[order-responder\] orderRequestId order-\d+ \(pet \d+\) -> orderId \d+$/m,
    );
    expect(answered.match(/^\[order-responder\] .*$/gm)).toEqual([
      expect.stringMatching(new RegExp(`-> orderId ${orderId}$`)),
    ]);

    // The rotation, with the README's variables for the Prisma simulator; the worker alone has the token.
    Object.assign(shell, {
      PRISMA_URL: prisma.baseUrl,
      PRISMA_DATABASE_ID: seeded.databaseId,
      PRISMA_CONNECTION_ID: seeded.connectionId,
    });
    const waiting = await run('rotate-start');
    expect(waiting).toContain('run rotate-prisma-events: awaiting-approval');
    expect(waiting).toContain(`approval needed for revokeOldConnection: DELETE`);
    // Before the approval: one reload, of the delivered file, with the fingerprint of what it holds; no DELETE yet.
    const delivered = join(sinkDir, 'app-db.txt');
    expect(readdirSync(sinkDir)).toEqual(['app-db.txt']);
    const minted = readFileSync(delivered, 'utf8').trim();
    const reloaded = await simulate.waitFor(/^\[rotation-listener\] .*$/m, 30_000);
    expect(reloaded.match(/^\[rotation-listener\] .*$/gm)).toEqual([
      `[rotation-listener] reloaded ${delivered} (fingerprint ${fingerprint(minted)})`,
    ]);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);
    expect(prisma.credentialWorks(minted)).toBe(true);

    // The approval: exactly one DELETE, after the reload; the application's credential still works.
    const done = await run('rotate-approve');
    expect(done).toMatch(/^run rotate-prisma-events: completed$/m);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(1);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    expect(prisma.credentialWorks(minted)).toBe(true);
    expect(simulate.output().match(/^\[rotation-listener\] .*$/gm)).toHaveLength(1);

    // No secret in anything printed (indexes, never the values: a failing test must not print a secret).
    const all = [...outputs, worker.output(), simulate.output()].join('\n');
    const secrets = [seeded.serviceToken, seeded.connectionString, minted];
    expect(secrets.flatMap((s, i) => (all.includes(s) ? [i] : []))).toEqual([]);
  }, 240_000);
});

interface Background {
  /** Resolves with the output so far once it matches `pattern`; throws with the output after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  output(): string;
  /** SIGTERM to its process group (bash, npm, tsx, node), SIGKILL if it outlives 10 s. */
  stop(): Promise<void>;
}

function startBackground(name: string, script: string, env: Record<string, string>): Background {
  const child: ChildProcess = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], {
    env,
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const take = (d: Buffer) => {
    out += d;
    for (const l of listeners) l();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let closed = false;
  void exited.then(() => {
    closed = true;
    for (const l of listeners) l();
  });
  return {
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            cleanup();
            resolve(out);
          } else if (closed) {
            cleanup();
            reject(new Error(`${name} exited before printing ${pattern}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name} did not print ${pattern} in ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (closed || child.pid === undefined) return;
      const group = -child.pid;
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(group, s);
        } catch {
          // already gone
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
