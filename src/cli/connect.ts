// Connecting to Temporal exactly like the `temporal` CLI: @temporalio/envconfig reads
// TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings and profiles from
// temporal.toml (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE). `--address`/`--namespace`/`--profile` win.
import type { Client } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Command } from 'commander';
import { CliError, firstLine } from './errors.js';

export interface ConnectionFlags {
  address?: string;
  namespace?: string;
  profile?: string;
}

export interface Connected {
  client: Client;
  address: string;
  namespace: string;
}

/** The global connection flags, given before or after the command's name. */
export function connectionFlags(command: Command): ConnectionFlags {
  const o = command.optsWithGlobals<ConnectionFlags>();
  return { address: o.address, namespace: o.namespace, profile: o.profile };
}

export function connectionSettings(flags: ConnectionFlags) {
  let config: ReturnType<typeof loadClientConnectConfig>;
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
  };
}

/** The same error for a client and for the worker that cannot reach the server. */
export function cannotConnect(address: string, err: unknown): CliError {
  return new CliError(
    `cannot connect to Temporal at ${address}: ${firstLine(err)}`,
    'start a dev server with `arazzo-temporal server` (or `npm run server`), or point TEMPORAL_ADDRESS / --address / a temporal.toml profile at your cluster',
  );
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
    connection = await Connection.connect({ ...settings.connectionOptions, connectTimeout: '5s' });
  } catch (err) {
    throw cannotConnect(settings.address, err);
  }
  try {
    // The project's one data converter: inputs are encrypted and results decoded like the worker's.
    const client = new Client({ connection, namespace: settings.namespace, dataConverter: getDataConverter() });
    return await act({ client, address: settings.address, namespace: settings.namespace });
  } finally {
    await connection.close();
  }
}
