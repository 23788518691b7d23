// Codec keys: AES-256 keys with ids. Exactly one key encrypts new payloads; every key in the ring
// decrypts. A ring is an array whose LAST key is the encrypting one.
//
// Rotation is two-phase, so that no process ever meets a payload under a key it cannot have:
//   1. add the new key decrypt-only (`npm run codec-server -- --new-key`): every process that reads
//      the key file picks it up without a restart (on the first payload that names it, or within a
//      second), and can decrypt it; nothing is encrypted with it yet;
//   2. once every process has it (workers, codec servers, clients that read another copy of the file),
//      promote it (`npm run codec-server -- --promote <id>`): new payloads are encrypted with it.
// A key is retired (`--retire <id>`) only when no kept history needs it.
//
// Sources, first found wins: ARAZZO_CODEC_KEYS (`id1:base64key,id2:base64key`: the LAST one
// encrypts; add a decrypt-only key by putting it before the last; a process reads the variable once),
// else the key file (ARAZZO_CODEC_KEY_FILE, default `.secrets/codec-keys.json` in the project,
// git-ignored; src/project-files.ts says which folder that is, from sources, dist/ or a package), which running processes re-read when it changes:
//   {"encrypt": "k2", "keys": [{"id": "k3", "key": "<base64 of 32 bytes>"}, {"id": "k2", "key": "..."}]}
// `encrypt` names the encrypting key. Files written before it existed (no `encrypt`) still load: their
// last key encrypts. Files written here always list the encrypting key last as well, so a process
// that predates `encrypt` agrees on which key encrypts.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultKeyFile } from '../project-files.js';

export interface CodecKey {
  id: string;
  key: Buffer;
}

/** The last key encrypts; every key decrypts. */
export type KeyRing = readonly CodecKey[];

export { defaultKeyFile };

export const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

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

/** The id of the key that encrypts. */
export function encryptingKeyId(ring: KeyRing): string {
  return ring[ring.length - 1].id;
}

/** `id1:base64,id2:base64` (the last one encrypts). */
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

interface KeyFileJson {
  encrypt?: unknown;
  keys?: Array<{ id: unknown; key: unknown }>;
}

/** The ring of a key file, the encrypting key last. */
export function readKeyFile(path: string): KeyRing {
  let parsed: KeyFileJson;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFileJson;
  } catch (err) {
    // Never the parser's message: it quotes the text around the error, i.e. key material.
    if (err instanceof SyntaxError) throw new Error(`${path}: not valid JSON`);
    throw err;
  }
  if (!parsed || !Array.isArray(parsed.keys)) throw new Error(`${path}: expected {"keys": [{"id", "key"}]}`);
  const ring = [
    ...checkRing(
      parsed.keys.map((k) => checkKey(String(k.id), String(k.key), path)),
      path,
    ),
  ];
  if (parsed.encrypt === undefined) return ring;
  const at = ring.findIndex((k) => k.id === parsed.encrypt);
  if (at < 0) throw new Error(`${path}: "encrypt" names ${JSON.stringify(parsed.encrypt)}, which is not in "keys"`);
  return [...ring.slice(0, at), ...ring.slice(at + 1), ring[at]];
}

/** Writes the ring (mode 0600, atomically): `encrypt` names its last key, which is also listed last. */
export function writeKeyFile(path: string, ring: KeyRing): void {
  checkRing([...ring], path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const json = {
    encrypt: encryptingKeyId(ring),
    keys: ring.map((k) => ({ id: k.id, key: k.key.toString('base64') })),
  };
  writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function newKey(id?: string): CodecKey {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return { id: id ?? `k${stamp}-${randomBytes(3).toString('hex')}`, key: randomBytes(32) };
}

function keyFileOf(env: NodeJS.ProcessEnv): string {
  return env.ARAZZO_CODEC_KEY_FILE ? resolve(env.ARAZZO_CODEC_KEY_FILE) : defaultKeyFile(env);
}

// ------------------------------------------------------------------ key sources

/** Where a process gets its ring from, now and after a rotation. */
export interface KeySource {
  /** `ARAZZO_CODEC_KEYS`, or the key file's path. */
  readonly description: string;
  /** The ring now. A key file is checked for changes at most once a second. */
  ring(): KeyRing;
  /**
   * A payload names a key id the ring lacks: look again now (a key file is re-read if it changed
   * since it was last read; that costs one stat() otherwise). Returns the ring.
   */
  refresh(): KeyRing;
}

export function staticKeySource(ring: KeyRing, description = 'ARAZZO_CODEC_KEYS'): KeySource {
  checkRing([...ring], description);
  return { description, ring: () => ring, refresh: () => ring };
}

export interface KeyFileSourceOptions {
  /** How often ring() looks at the file (default 1000 ms); refresh() always looks. */
  checkIntervalMs?: number;
  /** A changed file that cannot be read: the ring in use stays. Told once per change (no key material). */
  onError?: (message: string) => void;
}

function signature(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/** A key file, re-read whenever it changes (new keys, promotion, retirement) without a restart. */
export function fileKeySource(path: string, options: KeyFileSourceOptions = {}): KeySource {
  const interval = options.checkIntervalMs ?? 1000;
  let seen = signature(statSync(path));
  let current = readKeyFile(path);
  let lastCheck = Date.now();
  const look = () => {
    lastCheck = Date.now();
    let now: string;
    try {
      now = signature(statSync(path));
    } catch (err) {
      now = `missing:${(err as NodeJS.ErrnoException).code}`;
    }
    if (now === seen) return;
    seen = now;
    try {
      current = readKeyFile(path);
    } catch (err) {
      // A half-edited or removed file: keep decrypting with what we have. The message names the
      // file and a key id at most.
      options.onError?.(`codec key file ${path} not reloaded: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  return {
    description: path,
    ring() {
      if (Date.now() - lastCheck >= interval) look();
      return current;
    },
    refresh() {
      look();
      return current;
    },
  };
}

/** ARAZZO_CODEC_KEYS, else the key file (reloaded on change), else undefined. */
export function loadKeySource(env: NodeJS.ProcessEnv = process.env, options: KeyFileSourceOptions = {}) {
  if (env.ARAZZO_CODEC_KEYS?.trim()) return staticKeySource(parseKeyList(env.ARAZZO_CODEC_KEYS));
  const file = keyFileOf(env);
  return existsSync(file) ? fileKeySource(file, options) : undefined;
}

/** The configured ring now, or undefined when neither the variable nor the key file exists. */
export function loadKeyRing(env: NodeJS.ProcessEnv = process.env): KeyRing | undefined {
  return loadKeySource(env)?.ring();
}

let shared: { source: KeySource | undefined } | undefined;

/**
 * The process's key source (payload codec, plan seals): one per process, so that every part of it
 * sees a rotation at the same moment.
 */
export function sharedKeySource(): KeySource | undefined {
  if (!shared) {
    shared = {
      source: loadKeySource(process.env, { onError: (message) => process.emitWarning(message, 'ArazzoCodecKeys') }),
    };
  }
  return shared.source;
}

/** Tests only: forget the shared source (e.g. after changing ARAZZO_CODEC_KEYS). */
export function resetSharedKeySourceForTests(): void {
  shared = undefined;
}

/** Dev set-up: make sure a key exists (creates the key file with one new key when nothing is configured). */
export function ensureKeyRing(env: NodeJS.ProcessEnv = process.env): { ring: KeyRing; created?: string } {
  const { source, created } = ensureKeySource(env);
  return { ring: source.ring(), created };
}

/** Like ensureKeyRing, as a source (a key file is then re-read when it changes). */
export function ensureKeySource(env: NodeJS.ProcessEnv = process.env): { source: KeySource; created?: string } {
  const source = loadKeySource(env);
  if (source) return { source };
  const file = keyFileOf(env);
  writeKeyFile(file, [newKey()]);
  return { source: fileKeySource(file), created: file };
}

// ------------------------------------------------------------------ rotation steps on the key file

/**
 * Phase 1: a new key, decrypt-only (listed before the encrypting key). In a new or empty file it is
 * the only key, so it encrypts.
 */
export function addKeyToFile(path: string = defaultKeyFile(), id?: string): { key: CodecKey; encrypts: boolean } {
  const ring = existsSync(path) ? [...readKeyFile(path)] : [];
  const key = newKey(id);
  if (ring.some((k) => k.id === key.id)) throw new Error(`${path}: key id "${key.id}" is already there`);
  if (ring.length === 0) {
    writeKeyFile(path, [key]);
    return { key, encrypts: true };
  }
  writeKeyFile(path, [...ring.slice(0, -1), key, ring[ring.length - 1]]);
  return { key, encrypts: false };
}

/** Phase 2: the key (already in the file) becomes the encrypting one; the previous one keeps decrypting. */
export function promoteKeyInFile(path: string, id: string): { previous: string } {
  const ring = [...readKeyFile(path)];
  const at = ring.findIndex((k) => k.id === id);
  if (at < 0) throw new Error(`${path}: no key "${id}" (have: ${ring.map((k) => k.id).join(', ')})`);
  const previous = encryptingKeyId(ring);
  writeKeyFile(path, [...ring.slice(0, at), ...ring.slice(at + 1), ring[at]]);
  return { previous };
}

/** Removes a decrypt-only key: histories that need it can no longer be decoded. */
export function retireKeyFromFile(path: string, id: string): void {
  const ring = [...readKeyFile(path)];
  if (!ring.some((k) => k.id === id)) throw new Error(`${path}: no key "${id}"`);
  if (encryptingKeyId(ring) === id) throw new Error(`${path}: "${id}" encrypts; promote another key first`);
  writeKeyFile(
    path,
    ring.filter((k) => k.id !== id),
  );
}
