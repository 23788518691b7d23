// Runs the CLI the way a person does: `node bin/arazzo-temporal.mjs ...` as a child process, against
// the e2e run's dev server (TEMPORAL_ADDRESS), never a temporal.toml of the machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = join(projectRoot, 'bin', 'arazzo-temporal.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    ARAZZO_TEMPORAL_UI_URL: inject('temporalUiUrl'),
    TEMPORAL_CONFIG_FILE: join(tmpdir(), 'arazzo-cli-test-no-such-temporal.toml'),
    TEMPORAL_PROFILE: undefined,
    // The run's codec key (global-setup): CLI processes encrypt and decrypt like the tests' workers.
    ARAZZO_CODEC_KEYS: inject('codecKeys'),
    ...extra,
  };
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs to the end; fails the test if it takes longer than `timeoutMs`. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`arazzo-temporal ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running command (worker, server): its output so far, a wait for a line, and a clean stop. */
export function startCli(args: string[], options: CliOptions = {}) {
  const child = spawnCli(args, options);
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no ${pattern} in the output of arazzo-temporal ${args.join(' ')}:\n${output}`);
    },
    /** SIGINT (Ctrl-C), then the exit code. */
    async stop(timeoutMs = 30_000): Promise<number | null> {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * `start` flags for the corrected Prisma rotation against a seeded simulator (the token given plainly,
 * unless `apiToken` says otherwise, e.g. a `{"$secret": ...}` reference).
 */
export function prismaStartFlags(
  sim: { baseUrl: string },
  seeded: { serviceToken: string; databaseId: string; connectionId: string },
  newName: string,
  apiToken = seeded.serviceToken,
): string[] {
  return [
    '--input',
    `apiToken=${apiToken}`,
    '--input',
    `databaseId=${seeded.databaseId}`,
    '--input',
    `oldConnectionId=${seeded.connectionId}`,
    '--input',
    `newName=${newName}`,
    '--server',
    `prismaManagementApi=${sim.baseUrl}`,
  ];
}
