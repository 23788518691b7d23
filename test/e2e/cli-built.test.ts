// The production path: the BUILT CLI and worker (dist/, `npm run build`; CI builds before `npm test`),
// with the codec key only in the project's default key file (no ARAZZO_CODEC_KEYS), record every payload
// of a run encrypted, and the built `status` decodes them. Before src/project-files.ts the built worker
// looked for the key file under dist/, found none and recorded payloads in plain text.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureKeyRing } from '../../src/codec/keys.js';
import * as sourceFiles from '../../src/project-files.js';
import { prismaStartFlags, projectRoot, runCli, startCli } from '../support/cli.js';
import { useSimulators } from '../support/simulators.js';

const built = join(projectRoot, 'dist', 'src', 'project-files.js');
const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
// Only the default key file: no key in the environment, no other state folder.
const builtEnv = {
  ARAZZO_CLI_FROM: 'dist',
  ARAZZO_CODEC_KEYS: undefined,
  ARAZZO_CODEC_KEY_FILE: undefined,
  ARAZZO_STATE_DIR: undefined,
};

interface FoundPayload {
  path: string;
  metadata: Record<string, Uint8Array>;
  data?: Uint8Array;
}

/** Every Payload ({metadata, data}) anywhere in a history event, with where it is. */
function payloadsIn(value: unknown, path = '', found: FoundPayload[] = []): FoundPayload[] {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.metadata && typeof v.metadata === 'object' && 'encoding' in (v.metadata as object)) {
      found.push({ ...(v as unknown as FoundPayload), path });
    } else {
      for (const [key, child] of Object.entries(v)) payloadsIn(child, `${path}/${key}`, found);
    }
  }
  return found;
}

describe('the built CLI and worker', () => {
  const sims = useSimulators();
  const workers: Array<ReturnType<typeof startCli>> = [];
  afterAll(async () => {
    for (const w of workers) await w.stop();
  });

  it('find the same project files as the sources (key file, token, seal key, documents)', async () => {
    expect(existsSync(built), 'dist/ is not built: run `npm run build` before the tests').toBe(true);
    const dist = (await import(pathToFileURL(built).href)) as typeof sourceFiles;
    const env = { ...process.env, ARAZZO_STATE_DIR: undefined };
    expect(dist.packageRoot).toBe(sourceFiles.packageRoot);
    expect(dist.defaultKeyFile(env)).toBe(join(sourceFiles.packageRoot, '.secrets', 'codec-keys.json'));
    expect(dist.defaultKeyFile(env)).toBe(sourceFiles.defaultKeyFile(env));
    expect(dist.defaultTokenFile(env)).toBe(sourceFiles.defaultTokenFile(env));
    expect(dist.planSealKeyFile(env)).toBe(sourceFiles.planSealKeyFile(env));
    expect(dist.defaultDocumentRoot).toBe(join(sourceFiles.packageRoot, 'arazzo'));
    // Installed as a dependency, the state goes to the installing project, never into node_modules.
    expect(dist.installingProject('/srv/app/node_modules/arazzo-temporal')).toBe('/srv/app');
    expect(dist.installingProject('/srv/app/node_modules/@acme/arazzo-temporal')).toBe('/srv/app');
    expect(dist.installingProject('/home/me/arazzo-temporal')).toBeUndefined();
  });

  it('record a run encrypted with the default key file, and the built status decodes it', async () => {
    // The project's dev key file, as `npm run server` and the demo create it.
    const { ring } = ensureKeyRing({ ...process.env, ARAZZO_CODEC_KEYS: undefined, ARAZZO_CODEC_KEY_FILE: undefined });
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    const taskQueue = `built-${Date.now().toString(36)}`;
    const id = `built-${taskQueue.slice(-8)}`;
    // The token travels as a reference; the worker resolves it from its own environment.
    const worker = startCli(['worker', '--task-queue', taskQueue], {
      env: { ...builtEnv, ARAZZO_SECRET_ENV_ALLOW: 'BUILT_PRISMA_TOKEN', BUILT_PRISMA_TOKEN: seeded.serviceToken },
    });
    workers.push(worker);
    await worker.waitFor(/polling task queue/);
    expect(worker.output()).not.toMatch(/UNENCRYPTED/i);
    const flags = prismaStartFlags(prisma, seeded, `rotation-${id}`, '{"$secret":"env:BUILT_PRISMA_TOKEN"}');
    const env = builtEnv;

    const started = await runCli(['start', PRISMA, '--task-queue', taskQueue, '--id', id, ...flags, '--wait'], {
      env,
    });
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`run ${id}: awaiting-approval`);

    const status = await runCli(['status', id, '--json'], { env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).progress.state).toBe('awaiting-approval');

    // The history as the server stores it, read without any codec.
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const raw = new Client({ connection, namespace: inject('temporalNamespace') });
      const history = await raw.workflow.getHandle(id).fetchHistory();
      const payloads = payloadsIn(history.events);
      // Search attributes are indexed by the server, patch markers carry only the patch id and a local
      // activity's marker `data` only its sequence number, type, id and times: Temporal never passes these
      // through a codec. Everything else must be encrypted, the local load's result (the plan) included.
      const neverEncoded =
        /\/searchAttributes\/|\/markerRecordedEventAttributes\/details\/patch-data\/|\/markerRecordedEventAttributes\/details\/data\//;
      const plain = payloads.filter((p) => Buffer.from(p.metadata.encoding).toString() !== 'binary/encrypted');
      expect(plain.map((p) => p.path).filter((path) => !neverEncoded.test(path))).toEqual([]);
      const encrypted = payloads.filter((p) => !plain.includes(p));
      expect(encrypted.some((p) => /\/markerRecordedEventAttributes\/details\/result\//.test(p.path))).toBe(true);
      expect(encrypted.length).toBeGreaterThan(10);
      const keyIds = new Set(encrypted.map((p) => Buffer.from(p.metadata['encryption-key-id'] ?? []).toString()));
      expect([...keyIds]).toEqual([ring[ring.length - 1].id]);
      for (const p of encrypted) {
        const text = Buffer.from(p.data ?? []).toString('latin1');
        expect(text).not.toContain(seeded.serviceToken);
        expect(text).not.toContain(seeded.databaseId);
      }
      await raw.workflow.getHandle(id).terminate('test done');
    } finally {
      await connection.close();
    }
  }, 120_000);
});
