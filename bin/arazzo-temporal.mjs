#!/usr/bin/env node
// `npx arazzo-temporal ...` (package.json "bin"). Runs the TypeScript sources through tsx (a
// devDependency, present in every checkout after `npm install`/`npm ci`), so what runs is always what
// src/ says. Without tsx (a production install: `npm run build`, then dev dependencies pruned) it runs
// the compiled CLI in dist/. ARAZZO_CLI_FROM=source|dist forces one.
//
// Why not dist first: dist can be older than src/, and several modules find project files relative to
// their own location (the document root, the codec key file), which under dist/ points into dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');
const source = join(root, 'src', 'cli', 'main.ts');

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const forced = process.env.ARAZZO_CLI_FROM;
const tsx = forced === 'dist' || !existsSync(source) ? undefined : await loadTsx();
if (tsx) {
  tsx.register();
  await import(pathToFileURL(source).href);
} else if (forced !== 'source' && existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write(
    'error: cannot run the CLI: tsx is not installed and dist/ is not built\nhint: run `npm install` (tsx is a devDependency) or `npm run build`\n',
  );
  process.exit(1);
}
