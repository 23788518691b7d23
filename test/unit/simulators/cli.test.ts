// `npm run simulate`: ports from env, seeded ids printed, seeded secrets masked unless --print-credentials.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startPetstoreSimulator } from '../../../src/simulators/index.js';
import { passwordOf, useSimulators } from '../../support/simulators.js';

const sims = useSimulators();
const cli = fileURLToPath(new URL('../../../src/simulators/cli.ts', import.meta.url));

async function runCli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--random-seed', 'cli-test', '--quiet', ...args], {
    env: { ...process.env, PRISMA_SIM_PORT: '0', DEEPGRAM_SIM_PORT: '0', PETSTORE_SIM_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('cli did not become ready')), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/^ready$/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

/** The same seeds the CLI makes, recomputed in-process from the same fixed random seed. */
async function expectedSeeds() {
  const p = (await sims.prisma({ randomSeed: 'cli-test' })).seed();
  const d = (await sims.deepgram({ randomSeed: 'cli-test/deepgram' })).seed({ scopes: ['admin'] });
  const petstore = await startPetstoreSimulator({ port: 0, randomSeed: 'cli-test/petstore' });
  const s = petstore.seed({ username: 'user1' });
  await petstore.close();
  return { p, d, s, secrets: [p.serviceToken, passwordOf(p.connectionString), d.key, s.password] };
}

describe('simulate CLI', () => {
  it('prints ids and masks every seeded secret by default', async () => {
    const { p, d, s, secrets } = await expectedSeeds();
    const out = await runCli([]);
    expect(out).toMatch(/Prisma Management API simulator +http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(out).toMatch(/Pet store simulator +http:\/\/127\.0\.0\.1:\d+\/api\/v3/);
    expect(out).toContain(`username                ${s.username}`);
    expect(out).toContain('1 doggie (available), 2 kitty (available), 3 goldie (sold)');
    for (const id of [p.databaseId, p.connectionId, d.projectId, d.keyId]) expect(out).toContain(id);
    expect(secrets.every((s) => !out.includes(s))).toBe(true);
    expect(out).toContain('<masked; --print-credentials to show>');
  });

  it('prints the seeded secrets with --print-credentials', async () => {
    const { secrets } = await expectedSeeds();
    const out = await runCli(['--print-credentials']);
    expect(secrets.every((s) => out.includes(s))).toBe(true);
  });
});
