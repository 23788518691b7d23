import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { approvalPolicyFromEnv } from '../../src/activities/config.js';
import { createActivities } from '../../src/activities/index.js';
import { cliPath } from '../support/cli.js';
import { requestsWith, testPolicy } from '../support/rotation.js';
import { useSimulators } from '../support/simulators.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';
import { bash, readmeBlocks } from '../support/readme.js';

const BLOCKS = ['keys', 'policy', 'start', 'self-approval', 'approve'];

describe('README: approvals under an approval policy, run verbatim', () => {
  let env: TemporalTestEnv;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let work: string;
  const sims = useSimulators();
  const blocks = readmeBlocks('approval-policy');

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-readme-policy-'));
    writeFileSync(join(work, 'package.json'), '{"name": "readme-approval-policy", "private": true}\n');
    mkdirSync(join(work, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(cliPath, join(work, 'node_modules', '.bin', 'arazzo-temporal'));
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('marks exactly the blocks this test runs', () => {
    expect([...blocks.keys()]).toEqual(BLOCKS);
  });

  it('keys, a policy, a signed start, a refused self-approval and a quorum of two run the DELETE once', async () => {
    const prisma = await sims.prisma();
    const seeded = prisma.seed();
    process.env.PRISMA_TOKEN = seeded.serviceToken;
    const shell: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: work,
      npm_config_offline: 'true',
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace,
      TEMPORAL_CONFIG_FILE: join(work, 'no-such-temporal.toml'),
      ARAZZO_CODEC_KEYS: inject('codecKeys'),
      ARAZZO_TEMPORAL_UI_URL: env.uiUrl,
      PRISMA_URL: prisma.baseUrl,
      PRISMA_DATABASE_ID: seeded.databaseId,
      PRISMA_CONNECTION_ID: seeded.connectionId,
    };
    const outputs: string[] = [];
    const run = async (name: string) => {
      const result = await bash(blocks.get(name)!, shell, work);
      outputs.push(result.stdout, result.stderr);
      expect(result.code, `${name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };

    await run('keys');
    for (const who of ['alice', 'bob', 'carol']) {
      const file = join(work, '.secrets', 'approvers', `${who}.key`);
      expect(readFileSync(file, 'utf8')).toContain('"secretKey"');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    await run('policy');
    // The README's worker: the policy file the block wrote, on the task queue the README names.
    const approvals = approvalPolicyFromEnv({ ARAZZO_APPROVAL_POLICY: join(work, 'approval-policy.json') });
    expect(approvals?.approvers.map((a) => a.name)).toEqual(['alice', 'bob', 'carol']);
    worker = await env.createWorker({
      taskQueue: 'arazzo-approvals',
      activities: createActivities(
        testPolicy({
          approvals,
          secrets: { envAllow: ['PRISMA_TOKEN'], sinkDir: join(work, 'delivered'), hostBindings: [] },
        }),
      ),
    });
    running = worker.run();

    const started = await run('start');
    expect(started).toContain('rotate-prisma-signed');
    expect(started).toMatch(/revokeOldConnection/);
    const self = await run('self-approval');
    expect(self).toContain('refused, as it should be');
    expect(outputs.join('\n')).toMatch(/alice started this run and may not approve it/);
    expect(requestsWith(prisma, 'DELETE')).toHaveLength(0);

    const approved = await run('approve');
    expect(approved).toMatch(
      /approval 1 of 2 for revokeOldConnection recorded \(bob\); 1 more needed from group "security"/,
    );
    expect(approved).toMatch(/requested by alice \(ed25519:[0-9a-f]{16}\)/);
    expect(approved).toMatch(/1 given, 1 still needed/);
    expect(approved).toMatch(/completed/);
    expect(requestsWith(prisma, 'DELETE').filter((r) => r.path.endsWith(seeded.connectionId))).toHaveLength(1);
    const minted = readFileSync(join(work, 'delivered', 'prisma-signed.txt'), 'utf8').trim();
    expect(prisma.credentialWorks(minted)).toBe(true);
    expect(prisma.credentialWorks(seeded.connectionString)).toBe(false);

    // No secret key and no credential was printed.
    const keys = ['alice', 'bob', 'carol'].map(
      (who) => JSON.parse(readFileSync(join(work, '.secrets', 'approvers', `${who}.key`), 'utf8')).secretKey as string,
    );
    const printed = outputs.join('\n');
    const secrets = [...keys, seeded.serviceToken, seeded.connectionString, minted];
    // indexes, never the values: a failing test must not print a secret
    expect(secrets.flatMap((s, i) => (printed.includes(s) ? [i] : []))).toEqual([]);
  });
});
