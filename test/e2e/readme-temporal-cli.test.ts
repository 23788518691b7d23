import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import { type CodecServer, startCodecServer } from '../../src/codec/codec-server.js';
import { getEncryptionCodec } from '../../src/codec/data-converter.js';
import { projectRoot } from '../support/cli.js';
import { startWorker, testPolicy } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { bash, readmeBlocks } from '../support/readme.js';

const BLOCKS = [
  'path',
  'prisma-start',
  'prisma-progress',
  'prisma-approve',
  'prisma-result',
  'deepgram-key',
  'deepgram-start',
  'deepgram-waiting',
  'deepgram-approve',
];

/** The marked blocks of README.md, by name. */

describe('README: the `temporal` CLI path, run verbatim', () => {
  let env: TemporalTestEnv;
  let codec: CodecServer;
  const codecToken = randomBytes(24).toString('base64url');
  let worker: Worker;
  let running: Promise<void>;
  let work: string;
  const sims = useSimulators();
  const blocks = readmeBlocks('temporal-cli');

  beforeAll(async () => {
    env = await connectTestEnv();
    const encryption = getEncryptionCodec();
    if (!encryption) throw new Error('the e2e harness must run with a codec key');
    codec = await startCodecServer({ codec: encryption, port: 0, token: codecToken });
    work = mkdtempSync(join(tmpdir(), 'arazzo-readme-'));
    worker = await startWorker(
      env,
      'arazzo',
      testPolicy({
        secrets: { envAllow: ['PRISMA_TOKEN', 'DEEPGRAM_KEY'], sinkDir: join(work, 'delivered'), hostBindings: [] },
      }),
    );
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await codec?.close();
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('marks exactly the blocks this test runs', () => {
    expect([...blocks.keys()]).toEqual(BLOCKS);
  });

  it('rotates the Prisma connection (input file) and the Deepgram key (inline input) with temporal workflow start/query/signal/result/show', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const deepgram = await sims.deepgram();
    const admin = deepgram.seed({ comment: 'rotation admin', scopes: ['admin'] });
    // The worker's environment (README: PRISMA_TOKEN=... DEEPGRAM_KEY=... npx arazzo-temporal worker).
    process.env.PRISMA_TOKEN = seeded.serviceToken;
    process.env.DEEPGRAM_KEY = admin.key;
    // `temporal` on PATH the README's way (its `path` block, run from the project's folder), not ours.
    ensureTemporalCli({ quiet: true });
    const withoutTemporal = (process.env.PATH ?? '/usr/bin:/bin')
      .split(':')
      .filter((dir) => !existsSync(join(dir, 'temporal')))
      .join(':');
    const pathed = await bash(
      `${blocks.get('path')}\nprintf '%s' "$PATH"`,
      { PATH: withoutTemporal, HOME: process.env.HOME ?? work },
      projectRoot,
    );
    expect(pathed.code, pathed.stderr).toBe(0);
    const shell: Record<string, string> = {
      PATH: pathed.stdout,
      HOME: process.env.HOME ?? work,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace,
      TEMPORAL_CODEC_ENDPOINT: codec.url,
      TEMPORAL_CODEC_AUTH: `Bearer ${codecToken}`,
      PRISMA_URL: prisma.baseUrl,
      PRISMA_DATABASE_ID: seeded.databaseId,
      PRISMA_CONNECTION_ID: seeded.connectionId,
      DEEPGRAM_URL: deepgram.baseUrl,
      DEEPGRAM_PROJECT_ID: admin.projectId,
      DEEPGRAM_KEY_ID: admin.keyId,
      DEEPGRAM_KEY: admin.key,
    };
    const secrets = [seeded.serviceToken, seeded.connectionString, admin.key, codecToken];
    const outputs: string[] = [];
    const run = async (name: string) => {
      const result = await bash(blocks.get(name)!, shell, work);
      outputs.push(result.stdout, result.stderr);
      expect(result.code, `${name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const until = async (name: string, done: (out: string) => boolean) => {
      let last = '';
      for (let i = 0; i < 120; i++) {
        last = await run(name);
        if (done(last)) return last;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`${name} never showed what was expected:\n${last}`);
    };

    // Prisma: from a file, the token as a reference, the new secret delivered to a file.
    expect(await run('prisma-start')).toContain('rotate-prisma-1');
    // What the README says to wait for, as it says it.
    const waiting = await until('prisma-progress', (out) => out.includes('"state":"awaiting-approval"'));
    expect(waiting).toContain('revokeOldConnection');
    expect(waiting).toContain(`/connections/${seeded.connectionId}`);
    await run('prisma-approve');
    const result = await run('prisma-result');
    expect(result).toContain('completed');
    expect(result).toContain('delivered:file:prisma-new-connection.txt');
    expect(result).toContain('WorkflowExecutionCompleted');
    // --detailed shows the payloads, decoded through the codec server: the run's input in clear.
    expect(result).toContain('rotations/prisma-rotate-connection.arazzo.yaml');
    const minted = readFileSync(join(work, 'delivered', 'prisma-new-connection.txt'), 'utf8').trim();
    expect(prisma.credentialWorks(minted)).toBe(true);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);
    secrets.push(minted);

    // Deepgram: the key to rotate, then inline input; found by the search attribute while it waits.
    const oldKeyId = (await run('deepgram-key')).trim();
    expect(deepgram.state.key(oldKeyId)).toBeDefined();
    shell.DEEPGRAM_OLD_KEY_ID = oldKeyId;
    expect(await run('deepgram-start')).toContain('rotate-deepgram-1');
    const listed = await until(
      'deepgram-waiting',
      (out) => out.includes('rotate-deepgram-1') && /"state":\s*"awaiting-approval"/.test(out),
    );
    expect(listed).toContain('deleteOldKey');
    const done = await run('deepgram-approve');
    expect(done).toContain('completed');
    expect(done).toContain('delivered:file:deepgram-new-key.txt');
    const newKey = readFileSync(join(work, 'delivered', 'deepgram-new-key.txt'), 'utf8').trim();
    expect(deepgram.credentialWorks(newKey)).toBe(true);
    expect(deepgram.state.key(oldKeyId)).toMatchObject({ deleted: true });
    secrets.push(newKey);

    // Nothing the commands printed holds a secret.
    const printed = outputs.join('\n');
    // indexes, never the values: a failing test must not print a secret
    expect(secrets.flatMap((s, i) => (printed.includes(s) ? [i] : []))).toEqual([]);
  });
});
