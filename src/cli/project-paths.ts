// Where the project is, from wherever this file runs (src/cli under tsx, dist/src/cli once built):
// the nearest folder above with this project's package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'arazzo-temporal') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the arazzo-temporal project above ${start}`);
    dir = parent;
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** The worker's default document root: the project's `arazzo/` folder (ARAZZO_DOCUMENT_ROOT overrides). */
export function documentRootFrom(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option ?? env.ARAZZO_DOCUMENT_ROOT ?? join(projectRoot, 'arazzo'));
}
