// The package as a user gets it: `npm pack` (of the build; CI builds before `npm test`), the tarball
// unpacked into a scratch project outside the repository with its dependencies resolved from the repo's
// node_modules (the machine reaches no registry), a worker written there that registers arazzoRun through
// the package's exports with its own connection and options, type-checked against the shipped
// declarations, and a Prisma rotation run to completion through the package's own CLI. The codec key is
// only in the scratch project's .secrets/ (where an installed package keeps its state).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newKey, writeKeyFile } from '../../src/codec/keys.js';
import { cliEnv, type CliResult, prismaStartFlags, projectRoot } from '../support/cli.js';
import { useSimulators } from '../support/simulators.js';

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));

/** README "Use it in your own worker": its worker.mjs, run as it is written there. */
function readmeWorker(): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const block = /<!-- readme-test: package worker\.mjs -->\n```js\n([\s\S]*?)\n```\n/.exec(readme);
  if (!block) throw new Error('README.md has no block marked readme-test: package worker.mjs');
  return `${block[1]}\n`;
}

const TYPES = `// The shipped declarations: a user's TypeScript compiles against them.
import { NativeConnection } from '@temporalio/worker';
import { check, createActivities, createArazzoWorker, getDataConverter, policyFromEnv, type ArazzoRunInput, workflowPreloadModules, workflowsPath } from 'arazzo-temporal';

export async function start(connection: NativeConnection): Promise<void> {
  const input: ArazzoRunInput = { document: 'rotations/prisma-rotate-connection.arazzo.yaml', inputs: {} };
  const findings = await check('x.arazzo.yaml');
  const activities = createActivities(policyFromEnv());
  const worker = await createArazzoWorker({ connection, taskQueue: 'q' });
  const path: string = workflowsPath;
  const preload: string[] = workflowPreloadModules;
  void [input, findings.length, activities.runStep, worker, path, preload, getDataConverter().payloadCodecs];
}
`;

describe('the npm package, installed in a scratch project', () => {
  const sims = useSimulators();
  let scratch: string;
  let worker: ChildProcess | undefined;
  let workerOutput = '';
  const keyId = `pack-${Date.now().toString(36)}`;
  const taskQueue = `pack-${Date.now().toString(36)}`;

  beforeAll(() => {
    scratch = realpathSync(mkdtempSync(join(tmpdir(), 'arazzo-pack-')));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
        cwd: projectRoot,
        encoding: 'utf8',
      }),
    )[0] as { filename: string; files: Array<{ path: string }> };
    const paths = packed.files.map((f) => f.path);
    // Only what runs: no tests, benchmarks, sources or source maps.
    expect(paths.filter((p) => /^(test|bench|src)\/|^dist\/(test|bench)\/|\.map$/.test(p))).toEqual([]);
    // What its install runs (package.json "postinstall") ships with it; it builds nothing in a package.
    expect(paths.filter((p) => p.startsWith('scripts/'))).toEqual(['scripts/build-on-install.mjs']);
    expect(paths).toContain('dist/src/index.d.ts');
    // What `workflowPreloadModules` names, so the installed worker's bundler finds it.
    expect(paths).toContain('dist/src/workflows/shared-libraries.js');
    expect(paths).toContain('arazzo/rotations/prisma-rotate-connection.arazzo.yaml');

    const installed = join(scratch, 'node_modules', 'arazzo-temporal');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, packed.filename), '-C', installed, '--strip-components=1']);
    // The package's dependencies, as an install would resolve them (here: the repo's node_modules).
    const needed = [...Object.keys(manifest.dependencies), 'typescript', '@types/node'];
    for (const name of needed) {
      const link = join(scratch, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(realpathSync(join(projectRoot, 'node_modules', name)), link);
    }
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'my-rotations', private: true, type: 'module' }, null, 2),
    );
    writeFileSync(join(scratch, 'worker.mjs'), readmeWorker());
    writeFileSync(join(scratch, 'types.ts'), TYPES);
    writeKeyFile(join(scratch, '.secrets', 'codec-keys.json'), [newKey(keyId)]);
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The scratch project's environment: no key in it, so the package must find the project's key file. */
  const env = (extra: Record<string, string> = {}) =>
    cliEnv({ ARAZZO_CODEC_KEYS: undefined, ARAZZO_CODEC_KEY_FILE: undefined, ARAZZO_STATE_DIR: undefined, ...extra });

  function packagedCli(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
    const bin = join(scratch, 'node_modules', 'arazzo-temporal', 'bin', 'arazzo-temporal.mjs');
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: scratch,
      env: env(extra),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('type-checks a user module against the shipped declarations', () => {
    const tsc = join(scratch, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawn(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        '--types',
        'node',
        'types.ts',
      ],
      { cwd: scratch },
    );
    let output = '';
    result.stdout.on('data', (d) => {
      output += d;
    });
    return new Promise<void>((resolve, reject) =>
      result.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited ${code}:\n${output}`)))),
    );
  }, 120_000);

  it('runs a rotation on a worker written in the scratch project, through the packaged CLI', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    worker = spawn(process.execPath, ['worker.mjs'], {
      cwd: scratch,
      env: env({
        MY_TASK_QUEUE: taskQueue,
        ARAZZO_SECRET_ENV_ALLOW: 'PACK_PRISMA_TOKEN',
        PACK_PRISMA_TOKEN: seeded.serviceToken,
      }),
    });
    worker.stdout!.on('data', (d) => {
      workerOutput += d;
    });
    worker.stderr!.on('data', (d) => {
      workerOutput += d;
    });
    const deadline = Date.now() + 120_000;
    while (!workerOutput.includes('my worker polls') && Date.now() < deadline && worker.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(workerOutput).toContain(`my worker polls ${taskQueue}, encrypted: true`);

    // The package's bin, as `npx arazzo-temporal` runs it from the scratch project.
    const id = `pack-${taskQueue.slice(-8)}`;
    const started = await packagedCli([
      'start',
      'rotations/prisma-rotate-connection.arazzo.yaml',
      '--task-queue',
      taskQueue,
      '--id',
      id,
      ...prismaStartFlags(prisma, seeded, `rotation-${id}`, '{"$secret":"env:PACK_PRISMA_TOKEN"}'),
      '--wait',
    ]);
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`run ${id}: awaiting-approval`);
    const approved = await packagedCli(['approve', id, '--by', 'alice', '--wait']);
    expect(approved.code, approved.stdout + approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`run ${id}: completed`);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    expect(prisma.audit.createdCount('connection')).toBe(1);

    // Recorded with the scratch project's key: the run's input as the server stores it.
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const history = await new Client({ connection, namespace: inject('temporalNamespace') }).workflow
        .getHandle(id)
        .fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
      expect(Buffer.from(input?.metadata?.['encryption-key-id'] ?? []).toString()).toBe(keyId);
    } finally {
      await connection.close();
    }
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
    expect(workerOutput).toMatch(/activities seen by my interceptor: [1-9]/);
  }, 240_000);
});
