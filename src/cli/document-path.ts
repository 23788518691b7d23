// `start` sends the document as a path relative to the WORKER's document root (the worker reads it;
// the run's input must not depend on where the CLI was started). The user's path is resolved from the
// current directory first, then from the root, and must lie below the root. Paths in the commands the
// CLI prints (hints) are made valid where the user is (commandPath).
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CliError } from './errors.js';

export interface RunDocument {
  /** What the run's input carries: root-relative with `/`, or the URL as given. */
  sent: string;
  /** Where the CLI reads it to prepare the run. */
  local: string;
}

export function resolveRunDocument(given: string, documentRoot: string, cwd = process.cwd()): RunDocument {
  if (/^https?:\/\//i.test(given)) return { sent: given, local: given };
  const candidates = [resolve(cwd, given), resolve(documentRoot, given)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new CliError(
      `document not found: ${given}`,
      `give a path from the current directory or from the worker's document root (${documentRoot})`,
    );
  }
  const rel = relative(documentRoot, found);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new CliError(
      `${given} is outside the worker's document root ${documentRoot}`,
      'the worker only reads documents below its root: move the document there, or run the worker and this command with the same ARAZZO_DOCUMENT_ROOT (or --document-root)',
    );
  }
  return { sent: rel.split(sep).join('/'), local: found };
}

/**
 * A document path for a command the CLI prints, valid from the directory the user runs commands in:
 * relative to it when the file is below it (as given, usually), else absolute; quoted for the shell
 * when it needs it. URLs stay as they are (quoted if needed).
 */
export function commandPath(path: string, cwd = process.cwd()): string {
  if (/^https?:\/\//i.test(path)) return shellQuote(path);
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  const below = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  return shellQuote(below ? rel : absolute);
}

/** Single quotes around anything but plain path characters (POSIX shells; `'` written as `'\''`). */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
