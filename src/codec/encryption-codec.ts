// AES-256-GCM payload codec. The whole payload (metadata and data) is serialized and encrypted, so
// not even the original encoding is visible; the key id travels in clear metadata so that a key
// ring can hold old keys (rotation). A random 96-bit IV per payload; the key id is authenticated
// (additional data), so a payload cannot be relabelled to another key. Payloads that are not
// encrypted (e.g. `temporal workflow start --input` without a codec endpoint) pass through.
//
// Keys come from a KeySource (keys.ts): a payload under a key id the ring lacks makes the source look
// again (a key file re-read if it changed) before the payload is declared undecodable, so a key added
// decrypt-only reaches running processes without a restart; promotion reaches them within a second.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { encryptingKeyId, KEY_ID, type KeyRing, type KeySource, staticKeySource } from './keys.js';

const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES256GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/**
 * An encrypted payload this process cannot decrypt. The message says why (a key id at most, never
 * payload bytes), so it may be logged and shown.
 */
export class UndecodablePayloadError extends Error {
  override name = 'UndecodablePayloadError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A key id as it may be shown: only ids a ring could hold; anything else is not echoed. */
function shownKeyId(id: string | undefined): string {
  if (id === undefined || id === '') return 'no key id';
  return KEY_ID.test(id) ? `"${id}"` : '(malformed key id)';
}

function isKeySource(x: KeyRing | KeySource): x is KeySource {
  return typeof (x as KeySource).ring === 'function';
}

export class EncryptionCodec implements PayloadCodec {
  readonly source: KeySource;

  constructor(keys: KeyRing | KeySource) {
    if (!isKeySource(keys) && keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.source = isKeySource(keys) ? keys : staticKeySource(keys, 'the given keys');
  }

  /** The key new payloads are encrypted with (it follows a promotion in the key file). */
  get currentKeyId(): string {
    return encryptingKeyId(this.source.ring());
  }

  get keyIds(): string[] {
    return this.source.ring().map((k) => k.id);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encryptOne(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decryptOne(p));
  }

  encryptOne(payload: Payload): Payload {
    const ring = this.source.ring();
    const { id: keyId, key } = ring[ring.length - 1];
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8(keyId),
        [CIPHER_METADATA]: utf8(CIPHER),
      },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private keyFor(keyId: string): Buffer | undefined {
    const find = (ring: KeyRing) => ring.find((k) => k.id === keyId)?.key;
    return find(this.source.ring()) ?? find(this.source.refresh());
  }

  /** The payload decrypted; an unencrypted one as it is. Throws UndecodablePayloadError. */
  decryptOne(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
    const key = keyId ? this.keyFor(keyId) : undefined;
    if (!key) {
      throw new UndecodablePayloadError(
        `payload encrypted with unknown codec key id ${shownKeyId(keyId)} (have: ${this.keyIds.join(', ')})`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new UndecodablePayloadError(`encrypted payload is truncated (key id ${shownKeyId(keyId)})`);
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new UndecodablePayloadError(
        `encrypted payload failed authentication under key id ${shownKeyId(keyId)} (altered, or not ours)`,
      );
    }
    try {
      const decoded = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: decoded.metadata, data: decoded.data };
    } catch {
      throw new UndecodablePayloadError(`decrypted payload is not a Temporal payload (key id ${shownKeyId(keyId)})`);
    }
  }
}
