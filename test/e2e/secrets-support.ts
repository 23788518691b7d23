// Helpers for the secrets e2e tests: the `temporal` CLI against the run's dev server (optionally
// decoding through our codec server), and searching histories, files and logs for secret values.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export async function temporalCli(args: string[], env: { address: string; namespace: string }): Promise<CliResult> {
  const cli = ensureTemporalCli({ quiet: true });
  return new Promise((resolve) => {
    execFile(
      cli,
      [...args, '--address', env.address, '--namespace', env.namespace],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TEMPORAL_CODEC_ENDPOINT: '' } },
      (err, stdout, stderr) => {
        resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 });
      },
    );
  });
}

/** Every text a history event carries: its JSON, plus each payload's `data` decoded from base64. */
export function eventTexts(event: unknown): string {
  const parts: string[] = [JSON.stringify(event)];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') {
        parts.push(Buffer.from(o.data, 'base64').toString('utf8'));
        for (const m of Object.values(o.metadata as Record<string, unknown>))
          if (typeof m === 'string') parts.push(Buffer.from(m, 'base64').toString('utf8'));
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(event);
  return parts.join('\n');
}

export interface HistoryEvent {
  eventType: string;
  [k: string]: unknown;
}

/** Event types (with ids) whose text contains `secret`. */
export function eventsContaining(events: HistoryEvent[], secret: string): string[] {
  return events
    .filter((e) => eventTexts(e).includes(secret))
    .map((e) => `${(e as { eventId?: string }).eventId}:${e.eventType}`);
}

/** The 8-character substrings of `value` that contain at least one of its secret characters. */
export function secretGrams(value: string, publicParts: string[] = [], n = 8): string[] {
  const isPublic = new Array(value.length).fill(false);
  for (const p of publicParts) {
    let at = value.indexOf(p);
    while (p && at >= 0) {
      for (let i = at; i < at + p.length; i++) isPublic[i] = true;
      at = value.indexOf(p, at + 1);
    }
  }
  const grams = new Set<string>();
  for (let i = 0; i + n <= value.length; i++) {
    if (isPublic.slice(i, i + n).some((x) => !x)) grams.add(value.slice(i, i + n));
  }
  return [...grams];
}

/** The dev server's SQLite files as bytes (latin1 text, so byte sequences can be searched). */
export function sqliteBytes(dbFile: string): { files: string[]; text: string } {
  // The database and whatever journal files sit next to it (`-wal`, `-shm`, `-journal`).
  const dir = dirname(dbFile);
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(basename(dbFile)))
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f));
  return { files, text: files.map((f) => readFileSync(f).toString('latin1')).join('\n') };
}

/** How many of `grams` occur in `text` (never the grams themselves: a failing test must not print secrets). */
export function countFound(text: string, grams: string[]): number {
  return grams.filter((g) => text.includes(g)).length;
}
