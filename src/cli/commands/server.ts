// `server`: the project's dev server (src/devserver) with the Web UI and the custom search attributes,
// and, like `npm run server`, the codec server the Web UI decodes payloads through (its key from
// ARAZZO_CODEC_KEYS or .secrets/codec-keys.json, created when neither exists). Runs until Ctrl-C
// (SIGINT) or SIGTERM, which stop the `temporal` process at any point, start-up included.
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { DevCodecServer } from '../../codec/dev-codec-server.js';
import type { DevServer } from '../../devserver/dev-server.js';
import { out } from '../output.js';

interface ServerFlags {
  ip: string;
  port: number;
  uiPort: number;
  ui: boolean;
  db: string;
  inMemory: boolean;
  /** An existing codec server for the Web UI; none is started then. */
  uiCodecEndpoint?: string;
  codec: boolean;
  codecPort: number;
  codecInsecureNoAuth?: boolean;
}

export function serverCommand(): Command {
  const env = process.env;
  return new Command('server')
    .description('Temporal dev server with the Web UI, the Arazzo search attributes and the codec server, until Ctrl-C')
    .option('--ip <ip>', 'address to bind', env.ARAZZO_TEMPORAL_IP ?? '127.0.0.1')
    .option('--port <port>', 'gRPC port (0: a free one)', port, Number(env.ARAZZO_TEMPORAL_PORT ?? 7233))
    .option('--ui-port <port>', 'Web UI port (0: a free one)', port, Number(env.ARAZZO_TEMPORAL_UI_PORT ?? 8233))
    .option('--no-ui', 'no Web UI (headless)')
    .option('--db <file>', 'SQLite file for persistent state', env.ARAZZO_TEMPORAL_DB ?? '.temporal/dev.db')
    .option('--in-memory', 'keep nothing after exit (ignores --db)', false)
    .option(
      '--ui-codec-endpoint <url>',
      'codec server the Web UI uses to decode payloads (default: ARAZZO_UI_CODEC_ENDPOINT)',
      env.ARAZZO_UI_CODEC_ENDPOINT || undefined,
    )
    .option(
      '--codec-port <port>',
      'port of the codec server started for the Web UI (0: a free one)',
      port,
      Number(env.ARAZZO_CODEC_PORT ?? 8888),
    )
    .option('--no-codec', 'start no codec server (encrypted payloads stay unreadable in the Web UI)')
    .option(
      '--codec-insecure-no-auth',
      'run the codec server without its token (development only: any local process can decrypt; default: ARAZZO_CODEC_INSECURE)',
    )
    .action(runServer);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port (0-65535)');
  return n;
}

async function runServer(o: ServerFlags): Promise<void> {
  // SIGINT/SIGTERM are ours from here on, start-up included: the default (die at once) would leave the
  // `temporal` process behind, holding the port and the database. The first signal stops everything;
  // later ones are ignored while that happens (the child gets SIGKILL if it takes longer than 10 s).
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupt.signal.aborted) interrupt.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await serve(o, interrupt.signal);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function serve(o: ServerFlags, interrupted: AbortSignal): Promise<void> {
  // Loaded on use, like every command's heavy dependencies (see program.ts).
  const [{ startDevCodecServer }, { freePort, startDevServer }] = await Promise.all([
    import('../../codec/dev-codec-server.js'),
    import('../../devserver/dev-server.js'),
  ]);
  const dbFile = o.inMemory ? undefined : o.db;
  let codec: DevCodecServer | undefined;
  let server: DevServer;
  try {
    // The codec server must know the UI's origin (CORS) before either starts: pick a free port now.
    let uiPort: number | false = o.ui ? o.uiPort : false;
    if (uiPort === 0) uiPort = await freePort(o.ip);
    // None when told so (--no-codec, ARAZZO_CODEC=off), when the UI decodes elsewhere, or with no UI.
    const wantCodec = o.codec && process.env.ARAZZO_CODEC !== 'off' && !o.uiCodecEndpoint && uiPort !== false;
    if (wantCodec) {
      interrupted.throwIfAborted();
      codec = await startDevCodecServer({
        host: '127.0.0.1',
        port: o.codecPort,
        allowedOrigins: [
          ...new Set([`http://${o.ip}:${uiPort}`, `http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`]),
        ],
        insecureNoAuth: o.codecInsecureNoAuth || undefined,
        out,
      });
    }
    server = await startDevServer({
      ip: o.ip,
      port: o.port,
      uiPort,
      dbFile: dbFile ? resolve(dbFile) : undefined,
      uiCodecEndpoint: o.uiCodecEndpoint ?? codec?.url,
      logLevel: 'error',
      stdio: 'inherit',
      signal: interrupted,
    });
  } catch (err) {
    await codec?.close();
    // startDevServer has stopped its `temporal` process before it rejected.
    if (interrupted.aborted) {
      out('Temporal dev server start-up interrupted; stopped.');
      return;
    }
    throw err;
  }
  out(
    `Temporal dev server ready: gRPC ${server.address}, Web UI ${server.uiUrl ?? '(headless)'}, namespace ${server.namespace}${dbFile ? `, database ${dbFile}` : ', in memory'}`,
  );
  const decoder = o.uiCodecEndpoint ?? codec?.url;
  if (decoder) out(`Web UI decodes payloads with ${decoder}${codec ? ' (codec server started here)' : ''}`);
  out('Search attributes ArazzoWorkflowId, ArazzoStep, ArazzoState are registered. Ctrl-C stops the server.');
  out(
    `Other shells: export TEMPORAL_ADDRESS=${server.address}${codec ? ` TEMPORAL_CODEC_ENDPOINT=${codec.url}` : ''}${codec?.authHint ? ` ${codec.authHint}` : ''}`,
  );

  await new Promise<void>((done, fail) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await server.stop();
      await codec?.close();
      out('Temporal dev server stopped.');
      done();
    };
    if (interrupted.aborted) void stop();
    else interrupted.addEventListener('abort', () => void stop(), { once: true });
    server.process.once('exit', (code) => {
      if (!stopping) {
        void codec?.close();
        fail(new Error(`the Temporal dev server exited unexpectedly (code ${code})`));
      }
    });
  });
}
