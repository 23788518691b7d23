// Redocly Respect (`@redocly/cli respect`), run the way a user would script it: one process per run,
// with the response checks that our interpreter does not make turned off (schema, status code and
// content type against the description); success criteria stay on, as in ours.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './environment.js';
import { nowMs } from './time.js';

export const respectBin = join(repoRoot, 'node_modules/.bin/redocly');

const SEVERITY = 'SCHEMA_CHECK=off,STATUS_CODE_CHECK=off,CONTENT_TYPE_CHECK=off';

const quietEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SDK_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
};

/**
 * The corrected Prisma document for Respect: the same steps, with the description's URL made absolute
 * and the one JSONPath criterion written the way Respect evaluates JSONPath (it runs the path over
 * `[body]` and passes when something matches), so that it checks the same thing.
 */
export function respectPrismaDocument(workDir: string): string {
  const source = readFileSync(join(repoRoot, 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml'), 'utf8');
  const text = source
    .replace('url: ../openapi/', `url: ${join(repoRoot, 'arazzo/openapi')}/`)
    .replace(
      'condition: $.data.endpoints.direct.connectionString',
      'condition: $[?(@.data.endpoints.direct.connectionString)]',
    );
  if (text === source) throw new Error('the Prisma document changed: update bench/lib/respect.ts');
  const path = join(workDir, 'prisma-rotate-connection.respect.arazzo.yaml');
  writeFileSync(path, text);
  return path;
}

/** `--input` text: `name=value,...` (values here never contain commas or equals signs). */
export function respectInput(inputs: Record<string, string>): string {
  return Object.entries(inputs)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function respectArgs(document: string, server: string): string[] {
  return ['respect', document, '--server', server, '--severity', SEVERITY];
}

function run(cmd: string, args: string[], stdin?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: quietEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(stdin ?? '');
  });
}

/** One Respect run; wall time in ms. Throws when the workflow did not pass. */
export async function respectOnce(document: string, server: string, input: string): Promise<number> {
  const start = nowMs();
  const { code, output } = await run(respectBin, [...respectArgs(document, server), '--input', input]);
  const ms = nowMs() - start;
  if (code !== 0) throw new Error(`respect failed (exit ${code}):\n${output.slice(-2000)}`);
  return ms;
}

/** Many runs, one process each, `parallel` at a time through `xargs -P` (one input per line); wall ms. */
export async function respectXargs(document: string, server: string, inputs: string[], parallel: number) {
  const start = nowMs();
  const { code, output } = await run(
    'xargs',
    ['-P', String(parallel), '-I', '{}', respectBin, ...respectArgs(document, server), '--input', '{}'],
    `${inputs.join('\n')}\n`,
  );
  const ms = nowMs() - start;
  if (code !== 0) throw new Error(`respect via xargs failed (exit ${code}):\n${output.slice(-2000)}`);
  return ms;
}
