// The Temporal client, configured exactly like the `temporal` CLI: @temporalio/envconfig reads
// TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings and profiles from
// temporal.toml (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE). `--address`/`--namespace`/`--profile` win.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { getDataConverter } from '../codec/data-converter.js';
import { CliError } from './errors.js';

export interface ConnectionFlags {
  address?: string;
  namespace?: string;
  profile?: string;
}

export interface Connected {
  client: Client;
  address: string;
  namespace: string;
  close(): Promise<void>;
}

export const CONNECT_HINT =
  'start a dev server with `arazzo-temporal server` (or `npm run server`), or point TEMPORAL_ADDRESS / --address / a temporal.toml profile at your cluster';

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

export async function connectClient(flags: ConnectionFlags): Promise<Connected> {
  const settings = connectionSettings(flags);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...settings.connectionOptions, connectTimeout: '5s' });
  } catch (err) {
    throw new CliError(`cannot connect to Temporal at ${settings.address}: ${firstLine(err)}`, CONNECT_HINT);
  }
  // The project's one data converter: inputs are encrypted and results decoded like the worker's.
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: getDataConverter() });
  return { client, address: settings.address, namespace: settings.namespace, close: () => connection.close() };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
