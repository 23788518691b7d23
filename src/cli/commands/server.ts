import { Command } from 'commander';
import { out, port } from './shared.js';

interface ServerFlags {
  ip: string;
  port: number;
  uiPort: number;
  ui: boolean;
  db: string;
  inMemory: boolean;
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
    .action(async (o: ServerFlags) => {
      const { runServer } = await import('../run-server.js');
      await runServer({
        ip: o.ip,
        port: o.port,
        uiPort: o.ui ? o.uiPort : false,
        dbFile: o.inMemory ? undefined : o.db,
        uiCodecEndpoint: o.uiCodecEndpoint,
        codecPort: o.codec && env.ARAZZO_CODEC !== 'off' ? o.codecPort : false,
        codecInsecureNoAuth: o.codecInsecureNoAuth || undefined,
        out,
      });
    });
}
