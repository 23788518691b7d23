// The codec server's token: ARAZZO_CODEC_TOKEN, else the token file (ARAZZO_CODEC_TOKEN_FILE, default
// `.secrets/codec-token` in the project, git-ignored), generated on first start with mode 0600. What
// is shown to people is where the token is, never its value.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultTokenFile } from '../project-files.js';

export interface CodecToken {
  token: string;
  /** `ARAZZO_CODEC_TOKEN`, or the token file's path. */
  where: string;
  /** The file, when the token is in one (for `$(cat …)` hints). */
  file?: string;
  /** Generated just now. */
  created: boolean;
}

export function tokenFileOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.ARAZZO_CODEC_TOKEN_FILE ? resolve(env.ARAZZO_CODEC_TOKEN_FILE) : defaultTokenFile(env);
}

/** Whether the environment asks for a codec server without authentication (ARAZZO_CODEC_INSECURE=1). */
export function insecureFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'true', 'yes'].includes((env.ARAZZO_CODEC_INSECURE ?? '').trim().toLowerCase());
}

export function ensureCodecToken(env: NodeJS.ProcessEnv = process.env): CodecToken {
  const fromEnv = env.ARAZZO_CODEC_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, where: 'ARAZZO_CODEC_TOKEN', created: false };
  const file = tokenFileOf(env);
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 ${file}`);
  }
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new Error(`${file}: the codec token must be at least 16 characters`);
  return { token, where: file, file, created };
}

/** How a shell passes the token to the `temporal` CLI, without printing it. */
export function codecAuthHint(token: CodecToken): string {
  return token.file
    ? `TEMPORAL_CODEC_AUTH="Bearer $(cat '${token.file}')"`
    : 'TEMPORAL_CODEC_AUTH="Bearer $ARAZZO_CODEC_TOKEN"';
}
