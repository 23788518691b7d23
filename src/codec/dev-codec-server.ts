// The codec server as the project's entry points start it next to a dev server (`npm run server`,
// `arazzo-temporal server`, the demo): keys from ARAZZO_CODEC_KEYS or the key file (created when
// neither exists, and followed as it changes), authentication with the token from ARAZZO_CODEC_TOKEN
// or the token file (created 0600 on first start), unless the caller or ARAZZO_CODEC_INSECURE=1 says
// otherwise, which is logged. What is printed says where the token is, never what it is.
import { type CodecServer, startCodecServer } from './codec-server.js';
import { EncryptionCodec } from './encryption-codec.js';
import { encryptingKeyId, ensureKeySource } from './keys.js';
import { type CodecToken, codecAuthHint, ensureCodecToken, insecureFromEnv } from './token.js';

export const INSECURE_WARNING =
  'codec server WITHOUT authentication (--insecure-no-auth / ARAZZO_CODEC_INSECURE=1): any local process can decrypt every payload it is given';

export interface DevCodecServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The Web UI's origins (CORS). */
  allowedOrigins: string[];
  /** No authentication (loopback only). Default: ARAZZO_CODEC_INSECURE. */
  insecureNoAuth?: boolean;
  /** Lines for the person who started it. */
  out: (line: string) => void;
  /** Request lines (never payloads or tokens). */
  log?: (line: string) => void;
}

export interface DevCodecServer {
  server: CodecServer;
  url: string;
  /** Undefined when running without authentication. */
  token?: CodecToken;
  /** `TEMPORAL_CODEC_AUTH="Bearer $(cat …)"` for shells, when authenticated. */
  authHint?: string;
  close(): Promise<void>;
}

export async function startDevCodecServer(options: DevCodecServerOptions): Promise<DevCodecServer> {
  const { source, created } = ensureKeySource();
  if (created) options.out(`Created codec key file ${created} (keep it: it decrypts this server's histories).`);
  const insecure = options.insecureNoAuth ?? insecureFromEnv();
  const token = insecure ? undefined : ensureCodecToken();
  const server = await startCodecServer({
    codec: new EncryptionCodec(source),
    host: options.host ?? '127.0.0.1',
    port: options.port,
    token: token?.token,
    insecureNoAuth: insecure,
    allowedOrigins: options.allowedOrigins,
    log: options.log,
  });
  const ring = source.ring();
  options.out(
    `Codec server on ${server.url} (keys: ${ring.map((k) => k.id).join(', ')}; ${encryptingKeyId(ring)} encrypts).`,
  );
  if (token) {
    options.out(
      `Codec token ${token.created ? 'created in' : 'in'} ${token.where}. Web UI: open ${server.url}/login once and paste it, ` +
        'then in the UI\'s codec settings use your browser setting with "Include cross-origin credentials".',
    );
  } else {
    options.out(`WARNING: ${INSECURE_WARNING}`);
  }
  return {
    server,
    url: server.url,
    token,
    authHint: token ? codecAuthHint(token) : undefined,
    close: () => server.close(),
  };
}
