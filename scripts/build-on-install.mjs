// package.json "postinstall": in a checkout (`npm install` / `npm ci`), build dist/ so the CLI starts
// from compiled JavaScript. An installed package ships dist/ already (built by "prepack") and has no
// tsconfig.json, so there is nothing to do. `npx arazzo-temporal` inside a checkout "installs" the
// checkout into npm's exec cache first (npm_command=exec): no build then (the bin runs the sources when
// dist/ is missing or older), or the first npx would take as long as a build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = process.env.npm_command;
const checkout = existsSync(join(root, 'tsconfig.json')) && existsSync(join(root, 'src'));
if (checkout && (command === undefined || command === 'install' || command === 'ci')) {
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(built.status ?? 1);
}
