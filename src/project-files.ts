// Where this project's files are: the one answer for every module that needs one (codec keys, the
// codec token, the plan seal key, the default document root, package.json), whether it runs from the
// TypeScript sources (src/), from the build (dist/src/) or from an installed package
// (node_modules/arazzo-temporal/dist/src/). Never a path relative to the module's own location: under
// dist/ that points into dist/, and a worker that looked for its codec key there found none and
// recorded payloads unencrypted.
//
// - The package root: the nearest folder above this file whose package.json is this package's.
// - The state root, where `.secrets/` lives (keys, tokens, delivered secrets): the package root in a
//   checkout; the project that installed the package when it is a dependency (the folder holding its
//   node_modules), never inside node_modules, which an `npm ci` wipes. ARAZZO_STATE_DIR overrides.
// - The default document root: the package's `arazzo/` folder (the shipped rotations and OpenAPI
//   descriptions); ARAZZO_DOCUMENT_ROOT overrides (src/activities/config.ts, the CLI's --document-root).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'arazzo-temporal';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${start}`);
    dir = parent;
  }
}

/** The folder with this package's package.json (the checkout, or node_modules/arazzo-temporal). */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The installing project's folder when this package sits in a node_modules folder, else undefined. */
export function installingProject(root: string = packageRoot): string | undefined {
  let dir = dirname(root);
  if (basename(dir).startsWith('@')) dir = dirname(dir); // a scoped name: node_modules/@scope/name
  return basename(dir) === 'node_modules' ? dirname(dir) : undefined;
}

/** Where `.secrets/` lives: ARAZZO_STATE_DIR, else the installing project, else the checkout. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ARAZZO_STATE_DIR?.trim()) return resolve(env.ARAZZO_STATE_DIR);
  return installingProject() ?? packageRoot;
}

/** The project's git-ignored folder for keys, tokens and delivered secrets. */
export function secretsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateRoot(env), '.secrets');
}

/** The codec key file when ARAZZO_CODEC_KEY_FILE does not name one. */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(secretsDir(env), 'codec-keys.json');
}

/** The codec server's token file when ARAZZO_CODEC_TOKEN_FILE does not name one. */
export function defaultTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(secretsDir(env), 'codec-token');
}

/** The plan seal key file (used only without codec keys and without ARAZZO_PLAN_SEAL_KEY). */
export function planSealKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(secretsDir(env), 'plan-seal.key');
}

/** The shipped documents: the worker's document root unless ARAZZO_DOCUMENT_ROOT says otherwise. */
export const defaultDocumentRoot = join(packageRoot, 'arazzo');

/** This package's version, from its package.json. */
export function packageVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version as string;
}
