// `start` sends the document as a path relative to the WORKER's document root (the worker reads it;
// the run's input must not depend on where the CLI was started). The user's path is resolved from the
// current directory first, then from the root, and must lie below the root.
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
