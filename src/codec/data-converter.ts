// The one data converter of the project: worker, clients, tests, CLI and codec server all use it.
// Payloads are encrypted when a key is configured (see keys.ts); failure messages and stack traces
// are always moved into encoded attributes, so the codec covers them too. With keys, a worker using
// it turns signals and updates it cannot decrypt into something its run survives
// (undecodable-messages.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec.js';
import { type KeyRing, type KeySource, resetSharedKeySourceForTests, sharedKeySource } from './keys.js';
import { installUndecodableMessageGuard } from './undecodable-messages.js';

function locateFailureConverter(): string {
  // The build copies it beside the compiled module (package.json "postbuild"); a package ships no src/.
  const beside = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));
  if (!existsSync(beside)) throw new Error(`${beside} is missing: run \`npm run build\` again`);
  return beside;
}

/** Module path for `failureConverterPath` (client, worker, and `bundleWorkflowCode`). */
export const failureConverterPath = locateFailureConverter();

/** A fixed ring, or a source that follows the key file (rotation without restarts). */
export function createDataConverter(keys: KeyRing | KeySource | undefined): DataConverter {
  const none = keys === undefined || (Array.isArray(keys) && keys.length === 0);
  if (none) return { failureConverterPath, payloadCodecs: [] };
  installUndecodableMessageGuard();
  return { failureConverterPath, payloadCodecs: [new EncryptionCodec(keys)] };
}

let memo: { converter: DataConverter; source: KeySource | undefined } | undefined;

/** From ARAZZO_CODEC_KEYS or the key file (followed as it changes), one per process. */
export function getDataConverter(): DataConverter {
  if (!memo) {
    const source = sharedKeySource();
    memo = { converter: createDataConverter(source), source };
  }
  return memo.converter;
}

/** Whether payloads written by this process are encrypted. */
export function encryptionEnabled(): boolean {
  getDataConverter();
  return Boolean(memo?.source);
}

/** The codec of getDataConverter(), when a key is configured. */
export function getEncryptionCodec(): EncryptionCodec | undefined {
  const codec = getDataConverter().payloadCodecs?.[0];
  return codec instanceof EncryptionCodec ? codec : undefined;
}

/** Tests only: forget the memoized converter (e.g. after changing ARAZZO_CODEC_KEYS). */
export function resetDataConverterForTests(): void {
  memo = undefined;
  resetSharedKeySourceForTests();
}
