// Key file format (old files still load), and two-phase rotation on a key file followed by a running
// codec without a restart.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, UndecodablePayloadError } from '../../../src/codec/encryption-codec.js';
import {
  addKeyToFile,
  fileKeySource,
  newKey,
  promoteKeyInFile,
  readKeyFile,
  retireKeyFromFile,
  writeKeyFile,
} from '../../../src/codec/keys.js';

const text = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString();
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;
const value = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'codec-rotation-')), 'codec-keys.json');
const garbage = (keyId: string): Payload => ({
  metadata: { encoding: Buffer.from('binary/encrypted'), 'encryption-key-id': Buffer.from(keyId) },
  data: Buffer.alloc(64, 7),
});

describe('key file format', () => {
  const a = newKey('a');
  const b = newKey('b');
  const c = newKey('c');
  const entry = (k: { id: string; key: Buffer }) => ({ id: k.id, key: k.key.toString('base64') });

  it('a file without "encrypt" (written before it existed) still loads: its last key encrypts', () => {
    const file = tempFile();
    writeFileSync(file, JSON.stringify({ keys: [entry(a), entry(b)] }), { mode: 0o600 });
    expect(readKeyFile(file).map((k) => k.id)).toEqual(['a', 'b']);
    expect(new EncryptionCodec(readKeyFile(file)).currentKeyId).toBe('b');
  });

  it('"encrypt" names the encrypting key wherever it is listed; files written here list it last too', () => {
    const file = tempFile();
    writeFileSync(file, JSON.stringify({ encrypt: 'a', keys: [entry(a), entry(b), entry(c)] }), { mode: 0o600 });
    expect(readKeyFile(file).map((k) => k.id)).toEqual(['b', 'c', 'a']);
    writeKeyFile(file, readKeyFile(file));
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.encrypt).toBe('a');
    expect(written.keys.map((k: { id: string }) => k.id)).toEqual(['b', 'c', 'a']);
    writeFileSync(file, JSON.stringify({ encrypt: 'z', keys: [entry(a)] }));
    expect(() => readKeyFile(file)).toThrow(/"encrypt" names "z", which is not in "keys"/);
  });

  it('a file that is not JSON is refused without quoting it (it holds key material)', () => {
    const file = tempFile();
    const broken = `{"keys": [{"id": "a", "key": "${a.key.toString('base64')}" oops`;
    writeFileSync(file, broken);
    let message = '';
    try {
      readKeyFile(file);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`${file}: not valid JSON`);
  });

  it('rotation steps: add (decrypt-only), promote, retire (never the encrypting key)', () => {
    const file = tempFile();
    const first = addKeyToFile(file, 'k1');
    expect(first.encrypts).toBe(true); // the only key
    expect(addKeyToFile(file, 'k2').encrypts).toBe(false);
    expect(readKeyFile(file).map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => addKeyToFile(file, 'k2')).toThrow(/already there/);
    expect(promoteKeyInFile(file, 'k2')).toEqual({ previous: 'k1' });
    expect(readKeyFile(file).map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(() => promoteKeyInFile(file, 'nope')).toThrow(/no key "nope"/);
    expect(() => retireKeyFromFile(file, 'k2')).toThrow(/encrypts; promote another key first/);
    retireKeyFromFile(file, 'k1');
    expect(readKeyFile(file).map((k) => k.id)).toEqual(['k2']);
  });
});

describe('a codec following its key file', () => {
  it('decrypts a key added decrypt-only at once, keeps encrypting with the old one until promotion', async () => {
    const file = tempFile();
    const a = newKey('a');
    writeKeyFile(file, [a]);
    const running = new EncryptionCodec(fileKeySource(file, { checkIntervalMs: 60_000 }));

    addKeyToFile(file, 'b');
    const b = readKeyFile(file).find((k) => k.id === 'b')!;
    const [underB] = await new EncryptionCodec([a, b]).encode([payload({ from: 'a client already on b' })]);
    // An unknown id makes the codec look at the file again, whatever its check interval.
    expect(value((await running.decode([underB]))[0])).toEqual({ from: 'a client already on b' });
    const [stillA] = await running.encode([payload(1)]);
    expect(text(stillA.metadata!['encryption-key-id'])).toBe('a');
  });

  it('a promotion reaches a running codec at its next check', async () => {
    const file = tempFile();
    writeKeyFile(file, [newKey('a')]);
    const running = new EncryptionCodec(fileKeySource(file, { checkIntervalMs: 0 }));
    expect(running.currentKeyId).toBe('a');
    addKeyToFile(file, 'b');
    expect(running.currentKeyId).toBe('a');
    promoteKeyInFile(file, 'b');
    const [p] = await running.encode([payload(1)]);
    expect(text(p.metadata!['encryption-key-id'])).toBe('b');
  });

  it('a broken file keeps the ring in use and says so without key material', async () => {
    const file = tempFile();
    const a = newKey('a');
    writeKeyFile(file, [a]);
    const errors: string[] = [];
    const running = new EncryptionCodec(fileKeySource(file, { checkIntervalMs: 0, onError: (m) => errors.push(m) }));
    writeFileSync(file, `{"keys": [{"id": "a", "key": "${a.key.toString('base64')}"`);
    expect(running.currentKeyId).toBe('a');
    const [p] = await running.encode([payload('still works')]);
    expect(value((await running.decode([p]))[0])).toBe('still works');
    expect(errors).toEqual([`codec key file ${file} not reloaded: ${file}: not valid JSON`]);
  });

  it('says why a payload is undecodable: unknown id, truncated, altered, malformed id', async () => {
    const codec = new EncryptionCodec([newKey('a')]);
    const reason = (p: Payload) => {
      try {
        codec.decryptOne(p);
        return 'decoded';
      } catch (err) {
        expect(err).toBeInstanceOf(UndecodablePayloadError);
        return (err as Error).message;
      }
    };
    expect(reason(garbage('k9'))).toBe('payload encrypted with unknown codec key id "k9" (have: a)');
    expect(reason({ ...garbage('a'), data: Buffer.alloc(10) })).toMatch(/truncated/);
    expect(reason(garbage('a'))).toMatch(/failed authentication under key id "a"/);
    expect(reason(garbage('<script>'.repeat(20)))).toMatch(/unknown codec key id \(malformed key id\)/);
  });
});
