// scripts/kafka-install.mjs on a project that has no broker yet: it fetches the jars with mvn into
// .tools/kafka/ (staged, then renamed into place with a stamp), is silent when the stamp matches, replaces a
// half-copied folder (no stamp), and without Maven fails with one clear message, installing nothing. The
// script runs from a copy in a temporary project so the shared .tools/ is left alone.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));

function tempProject() {
  const root = mkdtempSync(join(tmpdir(), 'arazzo-kafka-install-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'arazzo-temporal' }));
  mkdirSync(join(root, 'scripts', 'kafka'), { recursive: true });
  copyFileSync(join(scripts, 'kafka-install.mjs'), join(root, 'scripts', 'kafka-install.mjs'));
  copyFileSync(join(scripts, 'project-root.mjs'), join(root, 'scripts', 'project-root.mjs'));
  copyFileSync(join(scripts, 'kafka', 'pom.xml'), join(root, 'scripts', 'kafka', 'pom.xml'));
  return root;
}

function run(root: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [join(root, 'scripts', 'kafka-install.mjs'), '--print-path'], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
}

describe('scripts/kafka-install.mjs', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('installs the broker into the project, then is silent; a stamp-less leftover is replaced', () => {
    const root = tempProject();
    roots.push(root);
    const home = join(root, '.tools', 'kafka');
    // What a killed install would leave: jars without a stamp.
    mkdirSync(join(home, 'libs'), { recursive: true });
    writeFileSync(join(home, 'libs', 'half-copied.jar'), '');

    const first = run(root);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(home);
    expect(first.stderr).toMatch(/^installed Apache Kafka 4\.1\.1 \(\d+ jars\) at /);
    const jars = readdirSync(join(home, 'libs'));
    expect(jars).toContain('kafka_2.13-4.1.1.jar');
    expect(jars).toContain('log4j-slf4j-impl-2.24.3.jar');
    expect(jars).not.toContain('half-copied.jar');
    expect(existsSync(join(home, 'STAMP'))).toBe(true);
    // No staging or set-aside folder is left next to it.
    expect(readdirSync(join(root, '.tools'))).toEqual(['kafka']);

    const second = run(root);
    expect(second.status).toBe(0);
    expect(second.stderr).toBe('');
    expect(second.stdout.trim()).toBe(home);
  });

  it('without Maven fails with one clear message and installs nothing', () => {
    const root = tempProject();
    roots.push(root);
    // A bin folder with node alone: no mvn, no java.
    mkdirSync(join(root, 'bin'));
    symlinkSync(process.execPath, join(root, 'bin', 'node'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: join(root, 'bin') };
    delete env.JAVA_HOME;
    const res = run(root, env);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('Apache Kafka 4.1.1');
    expect(res.stderr).toContain('no `mvn` (Apache Maven) on PATH');
    expect(res.stderr).toContain('npm run kafka:install');
    expect(existsSync(join(root, '.tools', 'kafka'))).toBe(false);
  });
});
