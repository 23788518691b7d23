// Codec keys: AES-256 keys with ids, newest last. New payloads are encrypted with the newest key;
// every key in the ring still decrypts, so a key is rotated by appending a new one and retired only
// once no history that needs it is kept.
//
// Sources, first found wins: ARAZZO_CODEC_KEYS (`id1:base64key,id2:base64key`), else the key file
// (ARAZZO_CODEC_KEY_FILE, default `.secrets/codec-keys.json` in the project, git-ignored):
// `{"keys": [{"id": "k-20250101", "key": "<base64 of 32 bytes>"}]}`.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CodecKey {
  id: string;
  key: Buffer;
}

/** Newest last. */
export type KeyRing = readonly CodecKey[];

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const defaultKeyFile = resolve(projectRoot, '.secrets/codec-keys.json');

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

function checkKey(id: string, base64: string, where: string): CodecKey {
  if (!KEY_ID.test(id)) throw new Error(`${where}: key id "${id}" must match ${KEY_ID}`);
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${where}: key "${id}" is ${key.length} bytes; AES-256 needs 32`);
  return { id, key };
}

function checkRing(ring: CodecKey[], where: string): KeyRing {
  if (ring.length === 0) throw new Error(`${where}: no keys`);
  const ids = new Set<string>();
  for (const k of ring) {
    if (ids.has(k.id)) throw new Error(`${where}: key id "${k.id}" appears twice`);
    ids.add(k.id);
  }
  return ring;
}

/** `id1:base64,id2:base64` (newest last). */
export function parseKeyList(text: string, where = 'ARAZZO_CODEC_KEYS'): KeyRing {
  const ring = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 1) throw new Error(`${where}: expected id:base64key entries separated by commas`);
      return checkKey(entry.slice(0, colon), entry.slice(colon + 1), where);
    });
  return checkRing(ring, where);
}

export function formatKeyList(ring: KeyRing): string {
  return ring.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
}

export function readKeyFile(path: string): KeyRing {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: Array<{ id: string; key: string }> };
  if (!Array.isArray(parsed.keys)) throw new Error(`${path}: expected {"keys": [{"id", "key"}]}`);
  return checkRing(
    parsed.keys.map((k) => checkKey(String(k.id), String(k.key), path)),
    path,
  );
}

export function writeKeyFile(path: string, ring: KeyRing): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const text = `${JSON.stringify({ keys: ring.map((k) => ({ id: k.id, key: k.key.toString('base64') })) }, null, 2)}\n`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function newKey(id?: string): CodecKey {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return { id: id ?? `k${stamp}-${randomBytes(3).toString('hex')}`, key: randomBytes(32) };
}

/** The configured ring, or undefined when neither the variable nor the key file exists. */
export function loadKeyRing(env: NodeJS.ProcessEnv = process.env): KeyRing | undefined {
  if (env.ARAZZO_CODEC_KEYS?.trim()) return parseKeyList(env.ARAZZO_CODEC_KEYS);
  const file = env.ARAZZO_CODEC_KEY_FILE ? resolve(env.ARAZZO_CODEC_KEY_FILE) : defaultKeyFile;
  return existsSync(file) ? readKeyFile(file) : undefined;
}

/** Dev set-up: make sure a key exists (creates the key file with one new key when nothing is configured). */
export function ensureKeyRing(env: NodeJS.ProcessEnv = process.env): { ring: KeyRing; created?: string } {
  const ring = loadKeyRing(env);
  if (ring) return { ring };
  const file = env.ARAZZO_CODEC_KEY_FILE ? resolve(env.ARAZZO_CODEC_KEY_FILE) : defaultKeyFile;
  const created = [newKey()];
  writeKeyFile(file, created);
  return { ring: created, created: file };
}

/** Rotation: append a new key (it becomes current); older keys keep decrypting. */
export function addKeyToFile(path: string = defaultKeyFile, id?: string): CodecKey {
  const ring = existsSync(path) ? [...readKeyFile(path)] : [];
  const key = newKey(id);
  writeKeyFile(path, [...ring, key]);
  return key;
}
