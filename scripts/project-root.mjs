// The project's root: the folder with arazzo-temporal's package.json above `from` (scripts/ in a checkout,
// dist/scripts/ once built, so both find the same .tools/), else `from`'s parent. Shared by the installers
// (plain Node, no dependencies: they run right after `npm ci`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function findProjectRoot(from) {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'arazzo-temporal') return dir;
    } catch {
      // not ours; keep looking
    }
  }
  return resolve(from, '..');
}
