// Connecting to Temporal exactly like the `temporal` CLI: @temporalio/envconfig reads
// TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings and profiles from
// temporal.toml (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE). `--address`/`--namespace`/`--profile` win.
//
// How long to wait: `--connect-timeout` or ARAZZO_CONNECT_TIMEOUT (default 5 s). The SDK fails the same
// way ("Failed to connect before the deadline") whether nothing listens, the host is unknown or a busy
// server did not answer in time, and those need different advice; so a failed connection is followed by
// one plain TCP connection to the address, which tells them apart (connectFailure).
import { createRequire } from 'node:module';
import { connect as tcpConnect } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { parseDuration, seconds } from './duration.js';
import { CliError, firstLine } from './errors.js';

export interface ConnectionFlags {
  address?: string;
  namespace?: string;
  profile?: string;
  /** `--connect-timeout`: a duration (`30s`, `1500ms`, `2m`; a bare number is seconds). */
  connectTimeout?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export interface Connected {
  client: Client;
  address: string;
  namespace: string;
}

/** The global connection flags, given before or after the command's name. */
export function connectionFlags(command: Command): ConnectionFlags {
  const o = command.optsWithGlobals<ConnectionFlags>();
  return { address: o.address, namespace: o.namespace, profile: o.profile, connectTimeout: o.connectTimeout };
}

/** `--connect-timeout`, else ARAZZO_CONNECT_TIMEOUT, else 5 s; in milliseconds. */
export function connectTimeoutMs(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const [text, source] =
    flag !== undefined ? [flag, '--connect-timeout'] : [env.ARAZZO_CONNECT_TIMEOUT, 'ARAZZO_CONNECT_TIMEOUT'];
  if (text === undefined || text.trim() === '') return DEFAULT_CONNECT_TIMEOUT_MS;
  return parseDuration(text, source);
}

type Envconfig = typeof import('@temporalio/envconfig');

export function connectionSettings(flags: ConnectionFlags) {
  // Required on use (it is CommonJS, so synchronously): `--help`, `check` and `list` never connect.
  const { loadClientConnectConfig } = createRequire(import.meta.url)('@temporalio/envconfig') as Envconfig;
  let config: ReturnType<Envconfig['loadClientConnectConfig']>;
  try {
    config = loadClientConnectConfig({ profile: flags.profile });
  } catch (err) {
    throw new CliError(
      `cannot load the Temporal connection settings: ${(err as Error).message}`,
      'check TEMPORAL_PROFILE / --profile and TEMPORAL_CONFIG_FILE',
    );
  }
  const connectionOptions = { ...config.connectionOptions };
  if (flags.address) connectionOptions.address = flags.address;
  return {
    connectionOptions,
    address: connectionOptions.address ?? 'localhost:7233',
    namespace: flags.namespace ?? config.namespace ?? 'default',
    connectTimeoutMs: connectTimeoutMs(flags.connectTimeout),
  };
}

const START_A_SERVER =
  'start a dev server with `arazzo-temporal server` (or `npm run server`), or point TEMPORAL_ADDRESS / --address / a temporal.toml profile at your cluster';
const CHECK_THE_ADDRESS = 'check TEMPORAL_ADDRESS / --address / the temporal.toml profile';

/** What one plain TCP connection to `host:port` finds. */
export type Reachability =
  | { kind: 'accepted' }
  | { kind: 'refused' }
  | { kind: 'unknown-host'; host: string }
  | { kind: 'silent' }
  | { kind: 'unreachable'; code: string };

/** `host:port` (`[v6]:port`; 7233 when no port is given). */
function hostAndPort(address: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1], port: Number(v6[2] ?? 7233) };
  const colon = address.lastIndexOf(':');
  if (colon < 0) return { host: address, port: 7233 };
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

export function probeAddress(address: string, timeoutMs = 2_000): Promise<Reachability> {
  const { host, port } = hostAndPort(address);
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (result: Reachability) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ kind: 'silent' }));
    socket.once('connect', () => done({ kind: 'accepted' }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done({ kind: 'refused' });
      else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') done({ kind: 'unknown-host', host });
      else done({ kind: 'unreachable', code: err.code ?? firstLine(err) });
    });
  });
}

/**
 * Why a connection failed, for a client and for the worker, said so that the advice fits: nothing
 * listening (start a server), an unknown host, or a server that accepts connections but did not answer
 * within the timeout (busy, still starting, or not a Temporal frontend: retry, or wait longer).
 */
export async function connectFailure(address: string, err: unknown, timeoutMs?: number): Promise<CliError> {
  const found = await probeAddress(address);
  const waited = timeoutMs === undefined ? '' : ` within ${seconds(timeoutMs)}`;
  const longer = `--connect-timeout 30s (or ARAZZO_CONNECT_TIMEOUT=30s)`;
  switch (found.kind) {
    case 'refused':
      return new CliError(
        `cannot connect to Temporal at ${address}: nothing listens there (connection refused)`,
        START_A_SERVER,
      );
    case 'unknown-host':
      return new CliError(`cannot connect to Temporal at ${address}: no such host ${found.host}`, CHECK_THE_ADDRESS);
    case 'unreachable':
      return new CliError(
        `cannot connect to Temporal at ${address}: ${found.code}`,
        `${CHECK_THE_ADDRESS}, and the network`,
      );
    case 'silent':
      return new CliError(
        `cannot connect to Temporal at ${address}: no answer${waited}, not even to a TCP connection`,
        `${CHECK_THE_ADDRESS} and the network (a firewall may drop it); on a slow network allow longer: ${longer}`,
      );
    case 'accepted':
      if (/before the deadline|deadline exceeded/i.test(firstLine(err))) {
        return new CliError(
          `Temporal at ${address} did not answer${waited}: something accepts connections there, but it did not answer in time`,
          `the server may be busy or still starting: retry, or allow longer with ${longer}; if it is not a Temporal frontend, or needs TLS, ${CHECK_THE_ADDRESS} and the TLS settings`,
        );
      }
      return new CliError(
        `cannot connect to Temporal at ${address}: ${firstLine(err)}`,
        `something listens there but the Temporal handshake failed: ${CHECK_THE_ADDRESS}, the TLS settings and the API key`,
      );
  }
}

/** Runs `act` with a client connected for the command's flags; the connection is always closed. */
export async function withClient<T>(command: Command, act: (connected: Connected) => Promise<T>): Promise<T> {
  const settings = connectionSettings(connectionFlags(command));
  // Loaded on use: the SDK and the codec are slow to import, and `check`, `list` or `--help` never need them.
  const [{ Client, Connection }, { getDataConverter }] = await Promise.all([
    import('@temporalio/client'),
    import('../codec/data-converter.js'),
  ]);
  let connection: Awaited<ReturnType<typeof Connection.connect>>;
  try {
    connection = await Connection.connect({ ...settings.connectionOptions, connectTimeout: settings.connectTimeoutMs });
  } catch (err) {
    throw await connectFailure(settings.address, err, settings.connectTimeoutMs);
  }
  try {
    // The project's one data converter: inputs are encrypted and results decoded like the worker's.
    const client = new Client({ connection, namespace: settings.namespace, dataConverter: getDataConverter() });
    return await act({ client, address: settings.address, namespace: settings.namespace });
  } finally {
    await connection.close();
  }
}
