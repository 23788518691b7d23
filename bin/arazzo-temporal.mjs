#!/usr/bin/env node
// `npx arazzo-temporal ...` (package.json "bin"). Runs the compiled CLI (dist/, built by `npm run build`,
// which `npm install`/`npm ci` run through "postinstall", and which a package ships: "prepack"): starting Node on
// compiled JavaScript takes a tenth of a second, through tsx over two seconds on a busy machine.
//
// In a checkout, dist/ can be older than src/ (an edit, a pull): then it runs the sources through tsx (a
// devDependency) and says so once on stderr, so what runs is always what src/ says. "Older" = some file
// under src/ changed after dist/.build-stamp (scripts/build-assets.mjs writes it at the end of a build);
// looking costs a few milliseconds. ARAZZO_CLI_FROM=source|dist forces one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');
const stamp = join(root, 'dist', '.build-stamp');
const sources = join(root, 'src');
const source = join(sources, 'cli', 'main.ts');

/** Whether a file under `dir` changed after `time` (ms). */
function changedSince(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

function builtIsCurrent() {
  if (!existsSync(built)) return false;
  if (!existsSync(sources)) return true; // an installed package ships dist/ only
  return existsSync(stamp) && !changedSince(sources, statSync(stamp).mtimeMs);
}

async function runSources() {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    return false;
  }
  tsx.register();
  await import(pathToFileURL(source).href);
  return true;
}

const forced = process.env.ARAZZO_CLI_FROM;
if (forced === 'dist' ? existsSync(built) : forced !== 'source' && builtIsCurrent()) {
  await import(pathToFileURL(built).href);
} else {
  if (forced !== 'source' && existsSync(source) && process.stderr.isTTY) {
    process.stderr.write(
      'note: dist/ is older than src/ (or not built): running the sources, slower; `npm run build`\n',
    );
  }
  if (!existsSync(source) || !(await runSources())) {
    process.stderr.write(
      'error: cannot run the CLI: dist/ is not built and tsx is not installed\nhint: run `npm run build` (or `npm install`, which builds)\n',
    );
    process.exit(1);
  }
}
