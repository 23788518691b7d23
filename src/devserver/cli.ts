// `npm run server`: the project's dev server with the Web UI, a persistent database and the custom
// search attributes, ready only once those are usable. Ctrl-C (or SIGTERM) stops it cleanly, during
// start-up too.
//
// Environment: ARAZZO_TEMPORAL_IP (127.0.0.1), ARAZZO_TEMPORAL_PORT (7233), ARAZZO_TEMPORAL_UI_PORT
// (8233), ARAZZO_TEMPORAL_DB (.temporal/dev.db), ARAZZO_UI_CODEC_ENDPOINT (default: the codec server
// started here).
//
// Payload encryption: the codec key comes from ARAZZO_CODEC_KEYS or .secrets/codec-keys.json, which is
// created (mode 0600) when neither exists. The codec server (ARAZZO_CODEC_HOST 127.0.0.1,
// ARAZZO_CODEC_PORT 8888) starts with the dev server and the Web UI decodes through it. It requires its
// token (ARAZZO_CODEC_TOKEN, else .secrets/codec-token, created 0600 on first start; see
// src/codec/README.md); `npm run server -- --insecure-no-auth` or ARAZZO_CODEC_INSECURE=1 runs it without
// (logged). ARAZZO_CODEC=off starts neither (payloads then stay encrypted in the UI).
import { resolve } from 'node:path';
import { type DevCodecServer, startDevCodecServer } from '../codec/dev-codec-server.js';
import { startDevServer } from './dev-server.js';

const env = process.env;
const ip = env.ARAZZO_TEMPORAL_IP ?? '127.0.0.1';
const uiPort = Number(env.ARAZZO_TEMPORAL_UI_PORT ?? 8233);

// Ctrl-C and SIGTERM are handled from the start: during start-up they stop the `temporal` process
// (startDevServer aborts), after it they stop the server. Later signals wait for that.
const interrupt = new AbortController();
let stopRunning: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) return;
    interrupt.abort(new Error(`interrupted by ${signal}`));
    void stopRunning?.();
  });
}

let codec: DevCodecServer | undefined;
let server: Awaited<ReturnType<typeof startDevServer>>;
try {
  if (env.ARAZZO_CODEC !== 'off' && !env.ARAZZO_UI_CODEC_ENDPOINT) {
    codec = await startDevCodecServer({
      host: env.ARAZZO_CODEC_HOST ?? '127.0.0.1',
      port: Number(env.ARAZZO_CODEC_PORT ?? 8888),
      allowedOrigins: [
        ...new Set([`http://${ip}:${uiPort}`, `http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`]),
      ],
      insecureNoAuth: process.argv.includes('--insecure-no-auth') || undefined,
      out: (line) => console.log(line),
    });
  }
  server = await startDevServer({
    ip,
    port: Number(env.ARAZZO_TEMPORAL_PORT ?? 7233),
    uiPort,
    dbFile: resolve(env.ARAZZO_TEMPORAL_DB ?? '.temporal/dev.db'),
    uiCodecEndpoint: env.ARAZZO_UI_CODEC_ENDPOINT || codec?.url,
    logLevel: 'error',
    stdio: 'inherit',
    signal: interrupt.signal,
  });
} catch (err) {
  await codec?.close();
  if (interrupt.signal.aborted) {
    console.log('Temporal dev server start-up interrupted; stopped.');
    process.exit(0);
  }
  throw err;
}
console.log(`Temporal dev server ready: gRPC ${server.address}, Web UI ${server.uiUrl}, namespace ${server.namespace}`);
console.log('Search attributes ArazzoWorkflowId, ArazzoStep, ArazzoState are registered. Ctrl-C stops the server.');
if (codec) {
  console.log(
    `Other shells: export TEMPORAL_ADDRESS=${server.address} TEMPORAL_CODEC_ENDPOINT=${codec.url}${codec.authHint ? ` ${codec.authHint}` : ''}`,
  );
}

let stopping = false;
stopRunning = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await codec?.close();
  console.log('Temporal dev server stopped.');
  process.exit(0);
};
if (interrupt.signal.aborted) await stopRunning();
server.process.once('exit', (code) => {
  if (!stopping) {
    console.error(`Temporal dev server exited unexpectedly (code ${code}).`);
    process.exit(1);
  }
});
