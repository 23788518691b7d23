// Durations on the command line: `30s`, `1500ms`, `2m`, `1h`; a bare number is seconds.
import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds; `source` names the flag or variable in the error. */
export function parseDuration(text: string, source: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 's'] : Number.NaN;
  if (!(ms >= 1)) {
    throw new UsageError(
      `${source} ${text}: not a duration`,
      'write it like 30s, 1500ms, 2m or 1h (a bare number is seconds)',
    );
  }
  return Math.round(ms);
}

/** `5 s`, `1.5 s`: how a duration is shown. */
export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** `--timeout` of `--wait` in milliseconds (undefined: wait as long as it takes); only with `--wait`. */
export function followTimeout(o: { wait?: boolean; timeout?: string }): number | undefined {
  if (o.timeout === undefined) return undefined;
  if (!o.wait) throw new UsageError('--timeout goes with --wait', 'add --wait, or leave out --timeout');
  return parseDuration(o.timeout, '--timeout');
}
