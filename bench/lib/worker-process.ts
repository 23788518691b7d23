// The parent's handle on a bench worker child (../worker-child.ts): start it, read its CPU and
// memory, stop it. One fresh child per measured batch, so peak RSS is that batch's own.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, WorkerChildSettings, WorkerUsage } from '../worker-child.js';

const childScript = fileURLToPath(new URL('../worker-child.ts', import.meta.url));

export interface WorkerProcess {
  pid: number;
  usage(): Promise<WorkerUsage>;
  stop(): Promise<void>;
}

export interface WorkerProcessOptions extends WorkerChildSettings {
  /** Write a V8 CPU profile of the child into this folder (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** Extra environment of the child (over the parent's own). */
  env?: Record<string, string>;
}

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { cpuProfileDir, env: extraEnv, ...settings } = options;
  const nodeArgs = ['--import', 'tsx'];
  if (cpuProfileDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', cpuProfileDir);
  // Plain payloads (no codec key): the same for both workflows, and history bytes are the data's own.
  const env = {
    ...process.env,
    ...extraEnv,
    ARAZZO_CODEC_KEYS: '',
    ARAZZO_CODEC_KEY_FILE: '/nonexistent/bench-no-codec-keys.json',
  };
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, childScript, JSON.stringify(settings)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let nextId = 0;
  const waiting = new Map<number, (u: WorkerUsage) => void>();
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench worker exited during start-up (code ${code})`)));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'usage') waiting.get(m.id)?.(m.usage);
    });
  });

  const send = (m: ParentMessage) => child.send(m);
  return {
    pid: child.pid!,
    usage: () =>
      new Promise<WorkerUsage>((resolve) => {
        const id = ++nextId;
        waiting.set(id, (u) => {
          waiting.delete(id);
          resolve(u);
        });
        send({ type: 'usage', id });
      }),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
