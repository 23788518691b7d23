// The file sink never replaces a delivered secret: names are created exclusively, a taken name moves the
// delivery to a name derived from it and the run, and when that is taken too the sink refuses (the step
// then keeps the value in the run's encrypted history and reports it undelivered). Real files in a
// temporary directory.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_NAME } from '../../../src/arazzo/secrets/refs.js';
import type { SecretPolicy } from '../../../src/secrets/policy.js';
import { FileSink, taggedName } from '../../../src/secrets/sinks.js';
import { StepSecrets } from '../../../src/secrets/step-secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'arazzo-sinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileSink: exclusive deliveries', () => {
  it('creates the requested name once; a second delivery goes to a name derived from it; a third is refused', async () => {
    const sinkDir = join(dir, 'exclusive');
    const sink = new FileSink(sinkDir);
    const first = await sink.deliver('new.txt', 'first-secret', { tag: 'run-a' });
    expect(first).toEqual({ name: 'new.txt', location: join(sinkDir, 'new.txt') });
    const second = await sink.deliver('new.txt', 'second-secret', { tag: 'run-b' });
    expect(second.name).toBe('new.run-b.txt');
    expect(second.location).toBe(join(sinkDir, 'new.run-b.txt'));
    // Both taken: refused (EEXIST), nothing replaced.
    const third = await sink.deliver('new.txt', 'third-secret', { tag: 'run-b' }).catch((e) => e);
    expect(third).toBeInstanceOf(Error);
    expect(third.code).toBe('EEXIST');
    expect(third.message).toMatch(/new\.txt.*new\.run-b\.txt/);
    expect(third.message).not.toContain('third-secret');
    // Without a tag there is no second name.
    expect((await sink.deliver('new.txt', 'fourth', {}).catch((e) => e)).code).toBe('EEXIST');
    expect(await sink.read('new.txt')).toBe('first-secret');
    expect(await sink.read('new.run-b.txt')).toBe('second-secret');
    for (const f of readdirSync(sinkDir)) expect(statSync(join(sinkDir, f)).mode & 0o777).toBe(0o600);
    // No temporary file is left behind, whatever happened.
    expect(readdirSync(sinkDir).sort()).toEqual(['new.run-b.txt', 'new.txt']);
  });

  it('never replaces a file someone else put there', async () => {
    const sinkDir = join(dir, 'foreign');
    const sink = new FileSink(sinkDir);
    await sink.deliver('placeholder.txt', 'x', { tag: 't' }); // creates the directory
    writeFileSync(join(sinkDir, 'key.txt'), 'operator file');
    const delivered = await sink.deliver('key.txt', 'minted', { tag: 'wf.1234abcd.create' });
    expect(delivered.name).toBe('key.wf.1234abcd.create.txt');
    expect(readFileSync(join(sinkDir, 'key.txt'), 'utf8')).toBe('operator file');
  });

  it('derived names are plain file names: sanitised, and shortened with a hash when long', () => {
    expect(taggedName('prisma-new-connection.txt', 'rotate prisma/1.3f2a9b1c.createConnection_2')).toBe(
      'prisma-new-connection.rotate_prisma_1.3f2a9b1c.createConnection_2.txt',
    );
    expect(taggedName('key', 'wf')).toBe('key.wf');
    const long = taggedName('prisma-new-connection.txt', `${'w'.repeat(300)}.3f2a9b1c.createConnection`);
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).toMatch(FILE_NAME);
    expect(long).toMatch(/^prisma-new-connection\.w+-[0-9a-f]{10}\.txt$/);
    // Two long tags that differ only at the end still give two names.
    expect(taggedName('k.txt', `${'w'.repeat(300)}a`)).not.toBe(taggedName('k.txt', `${'w'.repeat(300)}b`));
    expect(taggedName(`${'n'.repeat(127)}.txt`, 'tag')).toMatch(FILE_NAME);
  });
});

describe('StepSecrets: a delivery that fails keeps the value', () => {
  it('returns the value as the output and reports it undelivered, with a reason and no secret in it', async () => {
    // The sink directory cannot be created (a file is in the way): the delivery fails.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'not a directory');
    const policy: SecretPolicy = { envAllow: [], hostBindings: [], sinkDir: blocked };
    const secrets = new StepSecrets({
      policy,
      allowedServerHosts: [],
      stepId: 'createConnection',
      deliver: { newConnectionString: 'file:new.txt' },
      deliveryTag: 'wf.1234abcd.createConnection',
    });
    const minted = 'postgres://u:minted-password@db.example:5432/postgres';
    const outputs = await secrets.finishOutputs({ newConnectionString: minted, connectionId: 'con_1' });
    expect(outputs).toEqual({ newConnectionString: minted, connectionId: 'con_1' });
    expect(secrets.undelivered).toEqual([
      { output: 'newConnectionString', to: 'file:new.txt', reason: expect.stringMatching(/\S/) },
    ]);
    expect(secrets.undelivered[0].reason).not.toContain('minted-password');
    // It is still masked in messages.
    expect(secrets.text(`failed with ${minted}`)).not.toContain('minted-password');
  });

  it('a worker without the sink the run asked for keeps the value too', async () => {
    const secrets = new StepSecrets({
      policy: { envAllow: [], hostBindings: [] },
      allowedServerHosts: [],
      stepId: 'create',
      deliver: { newKey: 'file:k.txt' },
      deliveryTag: 't',
    });
    expect(await secrets.finishOutputs({ newKey: 'minted-key' })).toEqual({ newKey: 'minted-key' });
    expect(secrets.undelivered).toEqual([
      { output: 'newKey', to: 'file:k.txt', reason: 'this worker has no "file" secret sink' },
    ]);
  });
});
