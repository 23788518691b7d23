import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSecretName, isSecretSchema, MASK, maskRecord, maskValue } from '../../../src/arazzo/secrets/mask.js';
import { checkDeliveries, prepareInputs } from '../../../src/secrets/plan-checks.js';
import {
  hostProblem,
  parseHostBindings,
  refProblem,
  type SecretPolicy,
  secretPolicyFromEnv,
} from '../../../src/secrets/policy.js';
import { collectRefs, isSecretRef, mapRefs, parseRef } from '../../../src/arazzo/secrets/refs.js';
import { resolveRef, SecretRefError } from '../../../src/secrets/resolver.js';
import { Scrubber, secretStringsIn } from '../../../src/secrets/scrub.js';
import { FileSink } from '../../../src/secrets/sinks.js';

const dir = mkdtempSync(join(tmpdir(), 'secrets-unit-'));
const secretsDir = join(dir, 'secrets');
const sinkDir = join(dir, 'sink');
const policy: SecretPolicy = { envAllow: ['PRISMA_TOKEN', 'DEEPGRAM_*'], secretsDir, sinkDir, hostBindings: [] };

describe('references', () => {
  it('a reference is an object with a string $secret and nothing but an optional delivered', () => {
    const delivered = { to: 'file', name: 'n.txt', fingerprint: 'ab12', step: 's', output: 'k', at: '' };
    for (const yes of [{ $secret: 'env:X' }, { $secret: 'delivered:file:n.txt', delivered }, { $secret: 'bogus' }])
      expect(isSecretRef(yes)).toBe(true);
    for (const no of [
      null,
      'env:X',
      [{ $secret: 'env:X' }],
      { $secret: 1 },
      { $secret: 'env:X', note: 'more' },
      { secret: 'env:X' },
      {},
    ])
      expect(isSecretRef(no)).toBe(false);
  });

  it('parses the schemes and refuses paths', () => {
    expect(parseRef('env:PRISMA_TOKEN')).toEqual({ scheme: 'env', name: 'PRISMA_TOKEN' });
    expect(parseRef('file:prisma.txt')).toEqual({ scheme: 'file', name: 'prisma.txt' });
    expect(parseRef('delivered:file:new.txt')).toEqual({ scheme: 'delivered', sink: 'file', name: 'new.txt' });
    for (const bad of ['file:../x', 'file:a/b', 'file:.hidden', 'env:A-B', 'vault:x', 'delivered:new.txt'])
      expect(parseRef(bad)).toHaveProperty('error');
  });

  it('finds and replaces references anywhere', () => {
    const ctx = { inputs: { a: { $secret: 'env:X' }, b: 1 }, steps: { s: { outputs: { k: { $secret: 'file:y' } } } } };
    expect(collectRefs(ctx).map((r) => r.$secret)).toEqual(['env:X', 'file:y']);
    expect(mapRefs(ctx, (r) => r.$secret.toUpperCase())).toEqual({
      inputs: { a: 'ENV:X', b: 1 },
      steps: { s: { outputs: { k: 'FILE:Y' } } },
    });
  });
});

describe('policy', () => {
  it('reads the worker environment', () => {
    const p = secretPolicyFromEnv({
      ARAZZO_SECRET_ENV_ALLOW: 'PRISMA_TOKEN, DEEPGRAM_*',
      ARAZZO_SECRETS_DIR: '/run/secrets',
      ARAZZO_SECRET_HOSTS: 'env:PRISMA_*=api.prisma.io|127.0.0.1;file:dg-*=api.deepgram.com',
    });
    expect(p.envAllow).toEqual(['PRISMA_TOKEN', 'DEEPGRAM_*']);
    expect(p.secretsDir).toBe('/run/secrets');
    expect(p.hostBindings).toEqual([
      { pattern: 'env:PRISMA_*', hosts: ['api.prisma.io', '127.0.0.1'] },
      { pattern: 'file:dg-*', hosts: ['api.deepgram.com'] },
    ]);
    expect(() => parseHostBindings('nohosts')).toThrow();
  });

  it('allows only named variables or patterns, a configured directory, configured sinks', () => {
    expect(refProblem({ scheme: 'env', name: 'PRISMA_TOKEN' }, policy)).toBeUndefined();
    expect(refProblem({ scheme: 'env', name: 'DEEPGRAM_KEY_2' }, policy)).toBeUndefined();
    expect(refProblem({ scheme: 'env', name: 'HOME' }, policy)).toMatch(/not one this worker/);
    expect(refProblem({ scheme: 'file', name: 'x' }, { ...policy, secretsDir: undefined })).toMatch(
      /no secrets directory/,
    );
    expect(refProblem({ scheme: 'delivered', sink: 'vault', name: 'x' }, policy)).toMatch(/no "vault"/);
    expect(refProblem({ scheme: 'input', name: 'x' }, policy)).toMatch(/internal/);
  });

  it('host rule: binding, else the sealed description server, else an allowed override', () => {
    const base = { refText: 'env:PRISMA_TOKEN', allowedServerHosts: ['127.0.0.1'] };
    // description's own server (sealed)
    expect(
      hostProblem({ ...base, targetHost: 'api.prisma.io', sealedServerUrl: 'https://api.prisma.io/v1' }, policy),
    ).toBeUndefined();
    expect(
      hostProblem({ ...base, targetHost: 'evil.example', sealedServerUrl: 'https://api.prisma.io/v1' }, policy),
    ).toMatch(/only to api\.prisma\.io/);
    // unsealed (plan from a run's input)
    expect(hostProblem({ ...base, targetHost: 'api.prisma.io' }, policy)).toMatch(/no valid seal/);
    // override: only to allowed hosts
    expect(
      hostProblem({ ...base, targetHost: '127.0.0.1', overrideUrl: 'http://127.0.0.1:9/v1' }, policy),
    ).toBeUndefined();
    expect(hostProblem({ ...base, targetHost: 'evil.example', overrideUrl: 'http://evil.example/v1' }, policy)).toMatch(
      /not a host this worker allows/,
    );
    // explicit binding wins, both ways
    const bound = { ...policy, hostBindings: [{ pattern: 'env:PRISMA_*', hosts: ['api.prisma.io'] }] };
    expect(hostProblem({ ...base, targetHost: '127.0.0.1', overrideUrl: 'http://127.0.0.1:9' }, bound)).toMatch(
      /ARAZZO_SECRET_HOSTS/,
    );
    expect(hostProblem({ ...base, targetHost: 'api.prisma.io' }, bound)).toBeUndefined();
  });
});

describe('resolver and sinks', () => {
  it('reads env and files (one trailing newline dropped), never outside the directory', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(secretsDir, { recursive: true });
    writeFileSync(join(secretsDir, 'token.txt'), 'tok-123\n');
    writeFileSync(join(dir, 'outside.txt'), 'nope');
    symlinkSync(join(dir, 'outside.txt'), join(secretsDir, 'escape.txt'));
    expect(await resolveRef({ $secret: 'env:PRISMA_TOKEN' }, { policy, env: { PRISMA_TOKEN: 'abc' } })).toBe('abc');
    expect(await resolveRef({ $secret: 'file:token.txt' }, { policy })).toBe('tok-123');
    await expect(resolveRef({ $secret: 'file:escape.txt' }, { policy })).rejects.toThrow(SecretRefError);
    await expect(resolveRef({ $secret: 'env:HOME' }, { policy })).rejects.toThrow(/not one this worker/);
    await expect(resolveRef({ $secret: 'env:PRISMA_TOKEN' }, { policy, env: {} })).rejects.toThrow(/not set/);
  });

  it('the file sink writes 0600 files atomically, never replaces one, and reads them back', async () => {
    const sink = new FileSink(sinkDir);
    const { location } = await sink.deliver('new.txt', 'minted-secret');
    expect(statSync(location).mode & 0o777).toBe(0o600);
    const again = await sink.deliver('new.txt', 'second', { tag: 'run-2' });
    expect(again.name).toBe('new.run-2.txt');
    expect(await sink.read('new.txt')).toBe('minted-secret');
    expect(await resolveRef({ $secret: 'delivered:file:new.txt' }, { policy })).toBe('minted-secret');
    expect(await resolveRef({ $secret: 'delivered:file:new.run-2.txt' }, { policy })).toBe('second');
    await expect(sink.deliver('../x', 'v')).rejects.toThrow();
  });

  it('loadPlan input preparation: references only for secret inputs; plain secrets become input: references', async () => {
    const props = { apiToken: { type: 'string' }, dsn: { type: 'string', 'x-secret': true }, name: { type: 'string' } };
    const prepared = await prepareInputs(
      { apiToken: { $secret: 'env:PRISMA_TOKEN' }, dsn: 'postgres://x', name: 'n' },
      props,
      { ...policy, envAllow: ['PRISMA_TOKEN'] },
    ).catch((e) => e);
    // PRISMA_TOKEN is not set in this process
    expect(prepared).toBeInstanceOf(SecretRefError);
    process.env.PRISMA_TOKEN = 'from-env';
    const ok = await prepareInputs(
      { apiToken: { $secret: 'env:PRISMA_TOKEN' }, dsn: 'postgres://x', name: 'n' },
      props,
      policy,
    );
    expect(ok.resolved).toEqual({ apiToken: 'from-env', dsn: 'postgres://x', name: 'n' });
    expect(ok.kept).toEqual({ apiToken: { $secret: 'env:PRISMA_TOKEN' }, dsn: { $secret: 'input:dsn' }, name: 'n' });
    await expect(prepareInputs({ name: { $secret: 'env:PRISMA_TOKEN' } }, props, policy)).rejects.toThrow(
      /not a secret input/,
    );
    await expect(prepareInputs({ apiToken: { $secret: 'input:apiToken' } }, props, policy)).rejects.toThrow(/internal/);
  });

  it('deliveries must name an output of the run and a configured sink', () => {
    const plan = {
      workflows: { w: { steps: [{ stepId: 'create', outputs: { newKey: '$response.body#/key' } }] } },
    } as never;
    expect(checkDeliveries(plan, { newKey: 'file:k.txt', 'create.newKey': 'file:k2.txt' }, policy)).toEqual([]);
    expect(checkDeliveries(plan, { newKee: 'file:k.txt' }, policy)[0]).toMatch(/no step of this run has an output/);
    expect(checkDeliveries(plan, { newKey: 'vault:k' }, policy)[0]).toMatch(/no "vault" secret sink/);
    expect(checkDeliveries(plan, { newKey: 'file:k.txt' }, { ...policy, sinkDir: undefined })[0]).toMatch(
      /ARAZZO_SECRET_SINK_DIR/,
    );
  });
});

describe('masking and scrubbing', () => {
  it('secret names: credentials yes, identifiers no; schema markers', () => {
    for (const n of ['apiToken', 'apiKey', 'key', 'newKey', 'password', 'connectionString', 'client_secret'])
      expect(isSecretName(n)).toBe(true);
    for (const n of ['oldKeyId', 'api_key_id', 'keyIds', 'databaseId', 'comment']) expect(isSecretName(n)).toBe(false);
    expect(isSecretSchema('dsn', { format: 'password' })).toBe(true);
    expect(isSecretSchema('dsn', { writeOnly: true })).toBe(true);
    expect(isSecretSchema('dsn', { 'x-secret': true })).toBe(true);
    expect(isSecretSchema('dsn', { type: 'string' })).toBe(false);
  });

  it('masks values as a fixed mask and a fingerprint, and shows references as what they name', () => {
    const masked = maskValue('pw_abcdefgh12345');
    expect(masked).toMatch(new RegExp(`^${MASK} \\(fp [0-9a-f]{4}\\)$`));
    expect(masked).not.toMatch(/abc|123/);
    expect(maskRecord({ apiToken: { $secret: 'env:PRISMA_TOKEN' }, databaseId: 'db_1' })).toEqual({
      apiToken: 'secret env:PRISMA_TOKEN',
      databaseId: 'db_1',
    });
  });

  it('scrubs whole secrets, encoded forms, and cut-off random pieces, but leaves public words', () => {
    const secret = 'postgres://a1b2c3d4e5f6:pw_Zx9Qm7Lk3Jh5@db.prisma.io:5432/postgres';
    const s = new Scrubber().add(secret);
    expect(s.text(`body {"cs":"${secret}"}`)).not.toContain('pw_Zx9');
    const cut = `preview {"cs":"${secret.slice(0, 30)}…`;
    const scrubbed = s.text(cut);
    expect(scrubbed).not.toContain('a1b2c3');
    expect(scrubbed).toContain(MASK);
    expect(s.text('host db.prisma.io kind postgres')).toBe('host db.prisma.io kind postgres');
    expect(s.text(encodeURIComponent(secret))).toContain(MASK);
    // whole-only mode (outputs): pieces stay, full occurrences go
    expect(s.text(cut, { whole: true })).toBe(cut);
    expect(s.deep({ a: [secret] }, { whole: true })).toEqual({ a: [expect.stringContaining(MASK)] });
  });

  it('finds string values under credential-named keys in a response body', () => {
    expect(
      secretStringsIn({
        data: { endpoints: { direct: { connectionString: 'cs1', host: 'h' } }, key: 'k1', api_key_id: 'id' },
      }),
    ).toEqual(['cs1', 'k1']);
  });
});
