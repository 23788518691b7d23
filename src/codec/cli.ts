// `npm run codec-server`: the remote codec for the Web UI and the `temporal` CLI.
//
//   ARAZZO_CODEC_HOST (127.0.0.1), ARAZZO_CODEC_PORT (8888; 0 picks a free one),
//   ARAZZO_CODEC_ORIGINS (comma list; default the dev server UI: http://127.0.0.1:8233,http://localhost:8233)
//   Authentication (README.md here): ARAZZO_CODEC_TOKEN, else the token file ARAZZO_CODEC_TOKEN_FILE
//   (default .secrets/codec-token, created 0600 on first start). `--insecure-no-auth` or
//   ARAZZO_CODEC_INSECURE=1: none at all (loopback only; logged).
//   Keys: ARAZZO_CODEC_KEYS or the key file (see keys.ts), followed as the file changes.
//
// Key rotation, on the key file (ARAZZO_CODEC_KEY_FILE or .secrets/codec-keys.json), each then exits:
//   --new-key        phase 1: add a key, decrypt-only (running processes pick it up by themselves)
//   --promote <id>   phase 2: that key encrypts new payloads from now on (the previous one still decrypts)
//   --retire <id>    remove a decrypt-only key (only once no kept history needs it)
//   --keys           list the key ids and which one encrypts
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startCodecServer } from './codec-server.js';
import { INSECURE_WARNING } from './dev-codec-server.js';
import { EncryptionCodec } from './encryption-codec.js';
import {
  addKeyToFile,
  defaultKeyFile,
  encryptingKeyId,
  loadKeySource,
  promoteKeyInFile,
  readKeyFile,
  retireKeyFromFile,
} from './keys.js';
import { codecAuthHint, ensureCodecToken, insecureFromEnv } from './token.js';

export function defaultUiOrigins(uiPort = Number(process.env.ARAZZO_TEMPORAL_UI_PORT ?? 8233)): string[] {
  return [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
}

function rotate(values: { 'new-key'?: boolean; promote?: string; retire?: string; keys?: boolean }): boolean {
  const env = process.env;
  const path = env.ARAZZO_CODEC_KEY_FILE ?? defaultKeyFile(env);
  if (env.ARAZZO_CODEC_KEYS?.trim() && (values['new-key'] || values.promote || values.retire)) {
    throw new Error(
      'ARAZZO_CODEC_KEYS is set, so processes here ignore the key file: rotate by editing the variable (a decrypt-only key goes before the last one)',
    );
  }
  if (values['new-key']) {
    const { key, encrypts } = addKeyToFile(path);
    console.log(
      encrypts
        ? `added codec key ${key.id} to ${path}; it is the only key, so it encrypts`
        : `added codec key ${key.id} to ${path}, decrypt-only: running processes that read this file decrypt it from now on; ` +
            `once every process has it (other machines' copies too), make it encrypt with --promote ${key.id}`,
    );
    return true;
  }
  if (values.promote) {
    const { previous } = promoteKeyInFile(path, values.promote);
    console.log(
      `codec key ${values.promote} now encrypts new payloads (within a second in running processes); ${previous} still decrypts`,
    );
    return true;
  }
  if (values.retire) {
    retireKeyFromFile(path, values.retire);
    console.log(
      `retired codec key ${values.retire} from ${path}: histories encrypted with it can no longer be decoded`,
    );
    return true;
  }
  if (values.keys) {
    const ring = readKeyFile(path);
    const current = encryptingKeyId(ring);
    for (const k of ring) console.log(`${k.id}\t${k.id === current ? 'encrypts and decrypts' : 'decrypts'}`);
    return true;
  }
  return false;
}

async function main() {
  const env = process.env;
  const { values } = parseArgs({
    options: {
      'new-key': { type: 'boolean' },
      promote: { type: 'string' },
      retire: { type: 'string' },
      keys: { type: 'boolean' },
      'insecure-no-auth': { type: 'boolean' },
    },
  });
  if (rotate(values)) return;

  const source = loadKeySource(env, { onError: (message) => console.error(message) });
  if (!source) {
    console.error('no codec key: set ARAZZO_CODEC_KEYS or create the key file (npm run server creates one)');
    process.exit(1);
  }
  const origins = env.ARAZZO_CODEC_ORIGINS
    ? env.ARAZZO_CODEC_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : defaultUiOrigins();
  const insecure = Boolean(values['insecure-no-auth']) || insecureFromEnv(env);
  const token = insecure ? undefined : ensureCodecToken(env);
  const server = await startCodecServer({
    codec: new EncryptionCodec(source),
    host: env.ARAZZO_CODEC_HOST ?? '127.0.0.1',
    port: Number(env.ARAZZO_CODEC_PORT ?? 8888),
    token: token?.token,
    insecureNoAuth: insecure,
    allowedOrigins: origins,
    log: env.ARAZZO_CODEC_QUIET ? undefined : (line) => console.log(line),
  });
  const ring = source.ring();
  console.log(
    `codec server on ${server.url} (keys from ${source.description}: ${ring.map((k) => k.id).join(', ')}, ${encryptingKeyId(ring)} encrypts; UI origins: ${origins.join(', ')})`,
  );
  if (token) {
    console.log(
      `codec token: ${token.created ? 'created in' : 'in'} ${token.where}. temporal CLI: export ${codecAuthHint(token)}; ` +
        `Web UI: open ${server.url}/login once, then tick "Include cross-origin credentials" in the UI's codec settings`,
    );
  } else {
    console.warn(`WARNING: ${INSECURE_WARNING}`);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      server.close().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
