// `npm run codec-server`: the remote codec for the Web UI and the `temporal` CLI.
//
//   ARAZZO_CODEC_HOST (127.0.0.1), ARAZZO_CODEC_PORT (8888), ARAZZO_CODEC_TOKEN (required off loopback),
//   ARAZZO_CODEC_ORIGINS (comma list; default the dev server UI: http://127.0.0.1:8233,http://localhost:8233)
//   Keys: ARAZZO_CODEC_KEYS or the key file (see keys.ts).
//
// `npm run codec-server -- --new-key` appends a new key to the key file (it becomes current) and exits.
import { fileURLToPath } from 'node:url';
import { addKeyToFile, defaultKeyFile, loadKeyRing } from './keys.js';
import { EncryptionCodec } from './encryption-codec.js';
import { startCodecServer } from './codec-server.js';

export function defaultUiOrigins(uiPort = Number(process.env.ARAZZO_TEMPORAL_UI_PORT ?? 8233)): string[] {
  return [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
}

async function main() {
  const env = process.env;
  if (process.argv.includes('--new-key')) {
    const path = env.ARAZZO_CODEC_KEY_FILE ?? defaultKeyFile;
    const key = addKeyToFile(path);
    console.log(`added codec key ${key.id} to ${path}; it encrypts new payloads from the next start of each process`);
    return;
  }
  const ring = loadKeyRing();
  if (!ring) {
    console.error('no codec key: set ARAZZO_CODEC_KEYS or create the key file (npm run server creates one)');
    process.exit(1);
  }
  const origins = env.ARAZZO_CODEC_ORIGINS
    ? env.ARAZZO_CODEC_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : defaultUiOrigins();
  const server = await startCodecServer({
    codec: new EncryptionCodec(ring),
    host: env.ARAZZO_CODEC_HOST ?? '127.0.0.1',
    port: Number(env.ARAZZO_CODEC_PORT ?? 8888),
    token: env.ARAZZO_CODEC_TOKEN || undefined,
    allowedOrigins: origins,
    log: env.ARAZZO_CODEC_QUIET ? undefined : (line) => console.log(line),
  });
  console.log(
    `codec server on ${server.url} (keys: ${ring.map((k) => k.id).join(', ')}; UI origins: ${origins.join(', ')})`,
  );
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
