// `server`: the project's dev server (src/devserver) with the Web UI and the custom search attributes,
// and, like `npm run server`, the codec server the Web UI decodes payloads through (its key from
// ARAZZO_CODEC_KEYS or .secrets/codec-keys.json, created when neither exists; its token from
// ARAZZO_CODEC_TOKEN or .secrets/codec-token, created on first start). Runs until Ctrl-C.
import { resolve } from 'node:path';
import { type DevCodecServer, startDevCodecServer } from '../codec/dev-codec-server.js';
import { freePort, startDevServer } from '../devserver/dev-server.js';

export interface ServerRequest {
  ip: string;
  port: number;
  /** `false`: no Web UI. */
  uiPort: number | false;
  /** SQLite file; in-memory when undefined. */
  dbFile?: string;
  /** An existing codec server for the Web UI; none is started then. */
  uiCodecEndpoint?: string;
  /** Port of the codec server started here (0: a free one); `false`: none. */
  codecPort: number | false;
  /** The codec server without authentication (loopback only; logged). Default: ARAZZO_CODEC_INSECURE. */
  codecInsecureNoAuth?: boolean;
  out: (line: string) => void;
}

export async function runServer(request: ServerRequest): Promise<void> {
  // The codec server must know the UI's origin (CORS) before either starts: pick a free port now.
  const uiPort = request.uiPort === 0 ? await freePort(request.ip) : request.uiPort;
  let codec: DevCodecServer | undefined;
  if (request.codecPort !== false && !request.uiCodecEndpoint && uiPort !== false) {
    codec = await startDevCodecServer({
      host: '127.0.0.1',
      port: request.codecPort,
      allowedOrigins: [
        ...new Set([`http://${request.ip}:${uiPort}`, `http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`]),
      ],
      insecureNoAuth: request.codecInsecureNoAuth,
      out: request.out,
    });
  }
  const server = await startDevServer({
    ip: request.ip,
    port: request.port,
    uiPort,
    dbFile: request.dbFile ? resolve(request.dbFile) : undefined,
    uiCodecEndpoint: request.uiCodecEndpoint ?? codec?.url,
    logLevel: 'error',
    stdio: 'inherit',
  }).catch(async (err) => {
    await codec?.close();
    throw err;
  });
  request.out(
    `Temporal dev server ready: gRPC ${server.address}, Web UI ${server.uiUrl ?? '(headless)'}, namespace ${server.namespace}${request.dbFile ? `, database ${request.dbFile}` : ', in memory'}`,
  );
  const decoder = request.uiCodecEndpoint ?? codec?.url;
  if (decoder) request.out(`Web UI decodes payloads with ${decoder}${codec ? ' (codec server started here)' : ''}`);
  request.out('Search attributes ArazzoWorkflowId, ArazzoStep, ArazzoState are registered. Ctrl-C stops the server.');
  request.out(
    `Other shells: export TEMPORAL_ADDRESS=${server.address}${codec ? ` TEMPORAL_CODEC_ENDPOINT=${codec.url}` : ''}${codec?.authHint ? ` ${codec.authHint}` : ''}`,
  );

  await new Promise<void>((done, fail) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await server.stop();
      await codec?.close();
      request.out('Temporal dev server stopped.');
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    server.process.once('exit', (code) => {
      if (!stopping) {
        void codec?.close();
        fail(new Error(`the Temporal dev server exited unexpectedly (code ${code})`));
      }
    });
  });
}
