// `npm run server`: the project's dev server with the Web UI, a persistent database and the custom
// search attributes, ready only once those are usable. Ctrl-C stops it cleanly.
//
// Environment: ARAZZO_TEMPORAL_IP (127.0.0.1), ARAZZO_TEMPORAL_PORT (7233), ARAZZO_TEMPORAL_UI_PORT
// (8233), ARAZZO_TEMPORAL_DB (.temporal/dev.db), ARAZZO_UI_CODEC_ENDPOINT (none).
import { resolve } from 'node:path';
import { startDevServer } from './dev-server.js';

const env = process.env;
const server = await startDevServer({
  ip: env.ARAZZO_TEMPORAL_IP ?? '127.0.0.1',
  port: Number(env.ARAZZO_TEMPORAL_PORT ?? 7233),
  uiPort: Number(env.ARAZZO_TEMPORAL_UI_PORT ?? 8233),
  dbFile: resolve(env.ARAZZO_TEMPORAL_DB ?? '.temporal/dev.db'),
  uiCodecEndpoint: env.ARAZZO_UI_CODEC_ENDPOINT || undefined,
  logLevel: 'error',
  stdio: 'inherit',
});
console.log(`Temporal dev server ready: gRPC ${server.address}, Web UI ${server.uiUrl}, namespace ${server.namespace}`);
console.log('Search attributes ArazzoWorkflowId, ArazzoStep, ArazzoState are registered. Ctrl-C stops the server.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    console.log('Temporal dev server stopped.');
    process.exit(0);
  });
}
server.process.once('exit', (code) => {
  if (!stopping) {
    console.error(`Temporal dev server exited unexpectedly (code ${code}).`);
    process.exit(1);
  }
});
