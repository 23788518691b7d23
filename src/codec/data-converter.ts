// The one data converter of the project: worker, clients, tests, CLI and codec server all use it.
// Payloads are encrypted when a key is configured (see keys.ts); failure messages and stack traces
// are always moved into encoded attributes, so the codec covers them too.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec.js';
import { type KeyRing, loadKeyRing } from './keys.js';

function locateFailureConverter(): string {
  const beside = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));
  if (existsSync(beside)) return beside;
  // Compiled output (dist/src/codec) does not copy .cjs files: use the source next to it.
  return fileURLToPath(new URL('../../../src/codec/failure-converter.cjs', import.meta.url));
}

/** Module path for `failureConverterPath` (client, worker, and `bundleWorkflowCode`). */
export const failureConverterPath = locateFailureConverter();

export function createDataConverter(ring: KeyRing | undefined): DataConverter {
  return { failureConverterPath, payloadCodecs: ring?.length ? [new EncryptionCodec(ring)] : [] };
}

let memo: { converter: DataConverter; ring: KeyRing | undefined } | undefined;

/** From ARAZZO_CODEC_KEYS or the key file, read once per process. */
export function getDataConverter(): DataConverter {
  if (!memo) {
    const ring = loadKeyRing();
    memo = { converter: createDataConverter(ring), ring };
  }
  return memo.converter;
}

/** Whether payloads written by this process are encrypted. */
export function encryptionEnabled(): boolean {
  getDataConverter();
  return Boolean(memo?.ring?.length);
}

/** The codec of getDataConverter(), when a key is configured. */
export function getEncryptionCodec(): EncryptionCodec | undefined {
  const codec = getDataConverter().payloadCodecs?.[0];
  return codec instanceof EncryptionCodec ? codec : undefined;
}

/** Tests only: forget the memoized converter (e.g. after changing ARAZZO_CODEC_KEYS). */
export function resetDataConverterForTests(): void {
  memo = undefined;
}
