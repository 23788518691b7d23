// `npm run bench:startup [-- --before <git-ref>] [-- --runs N]`: how long daily commands take to start.
//
// Measures, on a dev server of its own (in memory) with the built worker and a Prisma rotation waiting
// for its approval:
//   - `arazzo-temporal --help`            (process start to exit)
//   - `arazzo-temporal status <id>`       (to exit: connect, describe, pollers, query)
//   - `npm run demo`: time to its first line of output (then it is stopped)
// for this checkout's compiled CLI (dist/, the default once built) and its sources through tsx
// (ARAZZO_CLI_FROM=source); with `--before <ref>` also for that commit (exported with `git archive`
// into a scratch folder that borrows this checkout's node_modules and .tools), which is how the
// "before" figures were taken. Needs `npm run build` first. Prints a table and writes JSON to
// bench/results/startup-<time>.json. Medians of N runs (default 5); the machine's load is recorded.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { newKey, formatKeyList } from '../src/codec/keys.js';
import { startDevServer } from '../src/devserver/dev-server.js';
import { startPrismaSimulator } from '../src/simulators/index.js';
import { median } from './lib/stats.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { before: { type: 'string' }, runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

interface Checkout {
  label: string;
  root: string;
  env: Record<string, string>;
}

function exportRef(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-bench-before-'));
  execFileSync('sh', ['-c', `git -C '${here}' archive '${ref}' | tar -x -C '${dir}'`]);
  symlinkSync(realpathSync(join(here, 'node_modules')), join(dir, 'node_modules'));
  if (existsSync(join(here, '.tools'))) symlinkSync(realpathSync(join(here, '.tools')), join(dir, '.tools'));
  return dir;
}

/** Milliseconds from spawn to exit (`until: 'exit'`) or to the first byte on stdout. */
function timeProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; until: 'exit' | 'first-output'; limitMs?: number },
): Promise<{ ms: number; code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const stopGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const limit = setTimeout(() => {
      stopGroup();
      reject(new Error(`${args.join(' ')}: no ${options.until} within ${options.limitMs} ms`));
    }, options.limitMs ?? 60_000);
    child.stdout!.on('data', (chunk) => {
      if (options.until === 'first-output' && output === '') {
        const ms = performance.now() - started;
        clearTimeout(limit);
        output += chunk;
        stopGroup();
        resolve({ ms, code: null, output: output.split('\n')[0] });
        return;
      }
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      if (options.until !== 'exit') return;
      clearTimeout(limit);
      resolve({ ms: performance.now() - started, code, output });
    });
  });
}

async function measure(
  label: string,
  times: () => Promise<number>,
): Promise<{ label: string; medianMs: number; ms: number[] }> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(Math.round(await times()));
  const result = { label, medianMs: median(ms), ms };
  console.log(`${label.padEnd(48)} median ${String(result.medianMs).padStart(6)} ms   (${ms.join(', ')})`);
  return result;
}

async function main() {
  if (!existsSync(join(here, 'dist', '.build-stamp'))) throw new Error('run `npm run build` first');
  const loadAtStart = loadavg()[0];
  const codecKeys = formatKeyList([newKey('bench')]);
  const server = await startDevServer({ port: 0, uiPort: false, stdio: 'ignore' });
  const prisma = await startPrismaSimulator({ port: 0 });
  const stateDir = mkdtempSync(join(tmpdir(), 'arazzo-bench-state-'));
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: server.namespace,
    TEMPORAL_CONFIG_FILE: join(stateDir, 'no-such-temporal.toml'),
    ARAZZO_CODEC_KEYS: codecKeys,
    ARAZZO_STATE_DIR: stateDir,
    ARAZZO_SECRET_ENV_ALLOW: 'BENCH_PRISMA_TOKEN',
    ARAZZO_SECRET_SINK_DIR: join(stateDir, 'delivered'),
    FORCE_COLOR: '0',
  };
  const bin = (root: string) => join(root, 'bin', 'arazzo-temporal.mjs');
  const taskQueue = 'bench-startup';
  const seeded = prisma.seed({ databaseName: 'bench', connectionName: 'bench-app' });
  baseEnv.BENCH_PRISMA_TOKEN = seeded.serviceToken;
  const worker = spawn(process.execPath, [bin(here), 'worker', '--task-queue', taskQueue], {
    env: baseEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const checkouts: Checkout[] = [
    { label: 'this checkout, compiled (dist/)', root: here, env: { ARAZZO_CLI_FROM: 'dist' } },
    { label: 'this checkout, sources via tsx', root: here, env: { ARAZZO_CLI_FROM: 'source' } },
  ];
  const exported: string[] = [];
  if (values.before) {
    const root = exportRef(values.before);
    exported.push(root);
    checkouts.push({ label: `before (${values.before})`, root, env: {} });
  }
  const results = [];
  try {
    await new Promise<void>((resolve, reject) => {
      worker.stdout!.on('data', (d) => {
        if (String(d).includes('polling')) resolve();
      });
      worker.once('exit', (code) => reject(new Error(`the worker exited (${code})`)));
    });
    const workflowId = `bench-startup-${Date.now().toString(36)}`;
    const started = await timeProcess(
      process.execPath,
      [
        bin(here),
        'start',
        'rotations/prisma-rotate-connection.arazzo.yaml',
        '--task-queue',
        taskQueue,
        '--id',
        workflowId,
        '--input',
        'apiToken={"$secret":"env:BENCH_PRISMA_TOKEN"}',
        '--input',
        `databaseId=${seeded.databaseId}`,
        '--input',
        `oldConnectionId=${seeded.connectionId}`,
        '--input',
        'newName=bench-rotation',
        '--server',
        `prismaManagementApi=${prisma.baseUrl}`,
        '--wait',
      ],
      { cwd: here, env: baseEnv, until: 'exit', limitMs: 120_000 },
    );
    if (started.code !== 0) throw new Error(`start --wait exited ${started.code}: ${started.output}`);
    for (const c of checkouts) {
      const env = { ...baseEnv, ...c.env };
      results.push(
        await measure(`${c.label}: --help`, async () => {
          const r = await timeProcess(process.execPath, [bin(c.root), '--help'], { cwd: c.root, env, until: 'exit' });
          if (r.code !== 0) throw new Error(`--help exited ${r.code}: ${r.output}`);
          return r.ms;
        }),
      );
      results.push(
        await measure(`${c.label}: status <id>`, async () => {
          const r = await timeProcess(process.execPath, [bin(c.root), 'status', workflowId], {
            cwd: c.root,
            env,
            until: 'exit',
          });
          if (r.code !== 0 || !r.output.includes('awaiting-approval')) {
            throw new Error(`status exited ${r.code}: ${r.output}`);
          }
          return r.ms;
        }),
      );
    }
    for (const c of checkouts.filter((c) => c.env.ARAZZO_CLI_FROM !== 'source')) {
      results.push(
        await measure(`${c.label}: npm run demo, first output`, async () => {
          const r = await timeProcess('npm', ['run', '--silent', 'demo'], {
            cwd: c.root,
            env: baseEnv,
            until: 'first-output',
          });
          return r.ms;
        }),
      );
    }
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await prisma.close();
    await server.stop();
    for (const dir of [...exported, stateDir]) rmSync(dir, { recursive: true, force: true });
  }
  const report = { at: new Date().toISOString(), runs, loadAverageAtStart: loadAtStart, results };
  mkdirSync(join(here, 'bench', 'results'), { recursive: true });
  const file = join(here, 'bench', 'results', `startup-${report.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`load average at start ${loadAtStart.toFixed(2)}; report: ${file}`);
}

await main();
