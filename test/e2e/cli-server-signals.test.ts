// `arazzo-temporal server` (and `npm run server`) stopped while still starting: SIGTERM (a supervisor,
// `kill`) or SIGINT (Ctrl-C) before "ready" must stop the `temporal` process it spawned, which otherwise
// keeps the gRPC port and the database file after its parent is gone. Each runs as a process, the way a
// person or a supervisor runs it (the signal to that process only); the child is found through /proc (Linux).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/devserver/dev-server.js';
import { cliPath, projectRoot } from '../support/cli.js';

/** The pids of the processes whose parent is `parent` and whose command name is `name`. */
function childrenNamed(parent: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent && comm === name) found.push(Number(entry));
  }
  return found;
}

/** Alive and not a zombie waiting for its parent. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** What starts a server: the CLI (`arazzo-temporal server`) or the `npm run server` script, without npm around it. */
const STARTERS = {
  'arazzo-temporal server': (port: number, uiPort: number, db: string) => ({
    args: [cliPath, 'server', '--port', String(port), '--ui-port', String(uiPort), '--codec-port', '0', '--db', db],
    env: {},
  }),
  'npm run server (src/devserver/cli.ts)': (port: number, uiPort: number, db: string) => ({
    args: ['--import', 'tsx', 'src/devserver/cli.ts'],
    env: {
      ARAZZO_TEMPORAL_PORT: String(port),
      ARAZZO_TEMPORAL_UI_PORT: String(uiPort),
      ARAZZO_TEMPORAL_DB: db,
      ARAZZO_CODEC_PORT: '0',
    },
  }),
};

describe('a signal while the dev server starts', () => {
  it.each([
    ['arazzo-temporal server', 'SIGTERM'],
    ['arazzo-temporal server', 'SIGINT'],
    ['npm run server (src/devserver/cli.ts)', 'SIGTERM'],
  ] as const)(
    '%s, %s before "ready": the temporal child is stopped, the port is free, exit 0',
    async (starter, signal) => {
      const work = mkdtempSync(join(tmpdir(), 'arazzo-server-signal-'));
      const [port, uiPort] = [await freePort(), await freePort()];
      const { args, env } = STARTERS[starter](port, uiPort, join(work, 'dev.db'));
      const child = spawn(process.execPath, args, {
        cwd: projectRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, by) => resolve({ code, signal: by })),
      );
      let temporal: number | undefined;
      try {
        await until(() => {
          temporal = childrenNamed(child.pid!, 'temporal')[0];
          return temporal !== undefined || child.exitCode !== null;
        }, 90_000);
        expect(temporal, `no temporal child was started:\n${output}`).toBeDefined();
        expect(output).not.toContain('ready');
        child.kill(signal);
        const end = await exited;
        // The process waits for its child before it exits; a few seconds' grace only makes a failure certain.
        await until(() => !alive(temporal!), 10_000);
        expect(alive(temporal!), `temporal (pid ${temporal}) outlived its parent`).toBe(false);
        expect(await until(() => canListen(port), 5_000), `port ${port} is still taken`).toBe(true);
        // Stopped, not killed by the signal: it handled it, stopped its child, and said so.
        expect(end, output).toEqual({ code: 0, signal: null });
        expect(output).toContain('Temporal dev server start-up interrupted; stopped.');
        expect(output).not.toContain('ready');
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        if (temporal !== undefined && alive(temporal)) process.kill(temporal, 'SIGKILL');
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
});
