// Everything the demo needs running, and how to stop exactly what it started: a Temporal dev server
// (or the one already listening on the default port), the codec server, the provider simulators.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { startCodecServer } from '../codec/codec-server.js';
import { getEncryptionCodec } from '../codec/data-converter.js';
import { ensureKeyRing } from '../codec/keys.js';
import { ensureCodecToken, insecureFromEnv } from '../codec/token.js';
import { freePort, startDevServer } from '../devserver/dev-server.js';
import { secretsDir } from '../project-files.js';
import { startDeepgramSimulator, startPrismaSimulator } from '../simulators/index.js';

export interface DemoEnvironment {
  address: string;
  namespace: string;
  uiUrl: string;
  codecUrl?: string;
  /** Where a browser logs in to the codec server, and where the token is (never the token). */
  codecLogin?: string;
  /** Where delivered secrets are written (mode 0600 files). */
  sinkDir: string;
  prisma: Awaited<ReturnType<typeof startPrismaSimulator>>;
  deepgram: Awaited<ReturnType<typeof startDeepgramSimulator>>;
  startedServer: boolean;
  stop(): Promise<void>;
}

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function portOrFree(preferred: number): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => freePort().then(done));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => done(preferred)));
  });
}

export async function startDemoEnvironment(log: (line: string) => void): Promise<DemoEnvironment> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const keys = ensureKeyRing();
    if (keys.created) log(`created a codec key in ${keys.created} (git-ignored)`);
    const sinkDir = join(secretsDir(), 'delivered');
    mkdirSync(sinkDir, { recursive: true, mode: 0o700 });

    const existing = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
    let address = existing;
    let uiUrl = `http://${existing.replace(/:\d+$/, '')}:8233`;
    let codecUrl: string | undefined;
    let codecLogin: string | undefined;
    let startedServer = false;
    const codec = getEncryptionCodec();
    // The codec server for the Web UI: it requires the project's codec token (src/codec/README.md).
    const startCodec = async () => {
      if (!codec) return;
      const insecure = insecureFromEnv();
      const token = insecure ? undefined : ensureCodecToken();
      const codecServer = await startCodecServer({
        codec,
        port: 0,
        allowedOrigins: [uiUrl],
        token: token?.token,
        insecureNoAuth: insecure,
      });
      stops.push(() => codecServer.close());
      codecUrl = codecServer.url;
      codecLogin = token ? `${codecServer.url}/login (token in ${token.where})` : undefined;
    };
    if (await reachable(existing)) {
      log(`using the Temporal server already running at ${existing}`);
      await startCodec();
    } else {
      const uiPort = await portOrFree(8233);
      const port = await portOrFree(7233);
      uiUrl = `http://127.0.0.1:${uiPort}`;
      await startCodec();
      log('starting a Temporal dev server (Web UI included)...');
      const server = await startDevServer({ port, uiPort, uiCodecEndpoint: codecUrl });
      stops.push(() => server.stop());
      address = server.address;
      startedServer = true;
    }
    const prisma = await startPrismaSimulator({ port: 0 });
    stops.push(() => prisma.close());
    const deepgram = await startDeepgramSimulator({ port: 0 });
    stops.push(() => deepgram.close());
    return {
      address,
      namespace: 'default',
      uiUrl,
      codecUrl,
      codecLogin,
      sinkDir,
      prisma,
      deepgram,
      startedServer,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
