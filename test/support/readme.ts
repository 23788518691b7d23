// What every README test needs: README.md's ```sh blocks marked `<!-- readme-test: TAG NAME -->`, and a
// strict bash (`-euo pipefail`, no rc files) to run one verbatim.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './cli.js';

/** The marked blocks of one README section, by name, in the README's order. */
export function readmeBlocks(tag: string): Map<string, string> {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const blocks = new Map<string, string>();
  const pattern = new RegExp(`<!-- readme-test: ${tag} (\\S+) -->\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\`\\n`, 'g');
  for (const m of readme.matchAll(pattern)) blocks.set(m[1], m[2]);
  return blocks;
}

export interface BashResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` as the README reader would paste it (from the project's root unless `cwd` says otherwise). */
export function bash(script: string, env: Record<string, string>, cwd: string = projectRoot): Promise<BashResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
