import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createDataConverter, failureConverterPath } from '../../../src/codec/data-converter.js';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA } from '../../../src/codec/encryption-codec.js';
import {
  addKeyToFile,
  ensureKeyRing,
  formatKeyList,
  loadKeyRing,
  newKey,
  parseKeyList,
  readKeyFile,
} from '../../../src/codec/keys.js';

const text = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString();
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;

describe('EncryptionCodec (AES-256-GCM)', () => {
  const a = newKey('a');
  const b = newKey('b');

  it('round-trips, hides the plaintext and the original encoding, and uses a fresh IV each time', async () => {
    const codec = new EncryptionCodec([a]);
    const secret = 'postgres://user:pw_VerySecret123@db.example/postgres';
    const [e1] = await codec.encode([payload(secret)]);
    const [e2] = await codec.encode([payload(secret)]);
    expect(text(e1.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(e1.metadata![KEY_ID_METADATA])).toBe('a');
    expect(Buffer.from(e1.data!).includes(Buffer.from('VerySecret'))).toBe(false);
    expect(Buffer.from(e1.data!).includes(Buffer.from('json/plain'))).toBe(false);
    expect(Buffer.from(e1.data!).equals(Buffer.from(e2.data!))).toBe(false);
    const [d] = await codec.decode([e1]);
    expect(defaultPayloadConverter.fromPayload(d)).toBe(secret);
  });

  it('rotation: new payloads use the newest key, old ones still decode; a missing key is a clear error', async () => {
    const [underA] = await new EncryptionCodec([a]).encode([payload({ n: 1 })]);
    const rotated = new EncryptionCodec([a, b]);
    expect(rotated.currentKeyId).toBe('b');
    const [underB] = await rotated.encode([payload({ n: 2 })]);
    expect(text(underB.metadata![KEY_ID_METADATA])).toBe('b');
    const decoded = await rotated.decode([underA, underB]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ n: 1 }, { n: 2 }]);
    await expect(new EncryptionCodec([b]).decode([underA])).rejects.toThrow(/unknown codec key id "a"/);
  });

  it('passes unencrypted payloads through, and rejects tampering or relabelling', async () => {
    const codec = new EncryptionCodec([a, b]);
    const plain = payload('from the CLI');
    expect(await codec.decode([plain])).toEqual([plain]);
    const [enc] = await codec.encode([payload('x')]);
    const flipped = Buffer.from(enc.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...enc, data: flipped }])).rejects.toThrow();
    const relabelled = { ...enc, metadata: { ...enc.metadata, [KEY_ID_METADATA]: Buffer.from('a') } };
    await expect(codec.decode([relabelled])).rejects.toThrow();
  });

  it('data converter: codec only with keys; failure messages always encoded', () => {
    expect(createDataConverter(undefined).payloadCodecs).toEqual([]);
    expect(createDataConverter([a]).payloadCodecs).toHaveLength(1);
    expect(createDataConverter(undefined).failureConverterPath).toBe(failureConverterPath);
  });
});

describe('codec keys', () => {
  it('parses id:base64 lists (newest last) and refuses bad keys', () => {
    const a = newKey('a');
    const b = newKey('b');
    const ring = parseKeyList(formatKeyList([a, b]));
    expect(ring.map((k) => k.id)).toEqual(['a', 'b']);
    expect(() => parseKeyList('a:c2hvcnQ=')).toThrow(/32/);
    expect(() => parseKeyList(`${formatKeyList([a])},${formatKeyList([a])}`)).toThrow(/twice/);
    expect(() => parseKeyList('nokey')).toThrow(/id:base64key/);
  });

  it('creates a key file (mode 0600) when nothing is configured; a new key is added decrypt-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, '.secrets', 'codec-keys.json');
    const env = { ARAZZO_CODEC_KEY_FILE: file };
    expect(loadKeyRing(env)).toBeUndefined();
    const { ring, created } = ensureKeyRing(env);
    expect(created).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureKeyRing(env).created).toBeUndefined();
    const added = addKeyToFile(file, 'second');
    expect(added.encrypts).toBe(false);
    const after = readKeyFile(file);
    // decrypt-only: listed before the key that still encrypts (the last one)
    expect(after.map((k) => k.id)).toEqual(['second', ring[0].id]);
    expect(after[0].key.equals(added.key.key)).toBe(true);
    // the variable wins over the file
    expect(loadKeyRing({ ...env, ARAZZO_CODEC_KEYS: formatKeyList([newKey('env')]) })!.map((k) => k.id)).toEqual([
      'env',
    ]);
  });
});
