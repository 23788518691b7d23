// `npm run demo` as a newcomer runs it: it must complete, exit 0, say what happened, and never print
// the minted secret (which it delivers to a file) or the token (which travels as a reference).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'demo', ...(args.length ? ['--', ...args] : [])], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function expectDemoOutcome(output: string, approveStep: string) {
  expect(output).toContain(`Approval needed before DELETE`);
  expect(output).toContain('Note: approvals are NOT authenticated');
  expect(output).toMatch(
    new RegExp(
      `^  /\\S+/temporal workflow signal --address \\S+ --workflow-id demo-\\S+ --name approve --input '\\{"stepId":"${approveStep}"`,
      'm',
    ),
  );
  // Pasteable: our CLI with the operator's name (never a placeholder), the temporal CLI by absolute path.
  expect(output).toMatch(/^ {2}npx arazzo-temporal --address \S+ approve demo-\S+ --by \S+$/m);
  expect(output).not.toContain('YOUR-NAME');
  expect(output).toContain(`approved ${approveStep}`);
  expect(output).toContain('old credential works: no (revoked)');
  expect(output).toContain('new credential works: yes');
  expect(output).toContain('Done: exactly one valid credential, the new one.');
  const delivered = /delivered to (\S+) \(mode 0600\)/.exec(output)?.[1];
  expect(delivered).toBeDefined();
  const secret = readFileSync(delivered!, 'utf8').trim();
  expect(secret.length).toBeGreaterThan(8);
  expect(output).not.toContain(secret);
  expect(output).toMatch(/new secret: •••••• \(fp [0-9a-f]{4}\)/);
}

describe('npm run demo', () => {
  it('rotates a Prisma connection string end to end with its own Temporal server, and exits 0', async () => {
    // TEMPORAL_ADDRESS points nowhere, so the demo starts (and stops) a dev server of its own.
    const { code, output } = await runDemo([], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(code, output).toBe(0);
    // Said before the SDK and the worker are loaded (seconds on a busy machine; bench/startup.ts times it).
    expect(output.split('\n')[0]).toBe(
      'Demo: rotating a Prisma Postgres connection string at the provider simulator. Loading the Temporal SDK and the worker...',
    );
    expect(output).toContain('starting a Temporal dev server');
    expectDemoOutcome(output, 'revokeOldConnection');
  });

  it('rotates a Deepgram key on an already running server (-- deepgram), and exits 0', async () => {
    const { code, output } = await runDemo(['deepgram'], { TEMPORAL_ADDRESS: inject('temporalAddress') });
    expect(code, output).toBe(0);
    expect(output).toContain(`using the Temporal server already running at ${inject('temporalAddress')}`);
    expectDemoOutcome(output, 'deleteOldKey');
  });

  it('rotates a Prisma connection string with the Arazzo 1.1 form of the document (-- --arazzo-1.1), and exits 0', async () => {
    const { code, output } = await runDemo(['--arazzo-1.1'], { TEMPORAL_ADDRESS: inject('temporalAddress') });
    expect(code, output).toBe(0);
    expect(output).toContain('(document rotations/prisma-rotate-connection-1.1.arazzo.yaml)');
    expectDemoOutcome(output, 'revokeOldConnection');
  });

  it('refuses an unknown argument with exit code 2', async () => {
    const { code, output } = await runDemo(['--bogus'], {});
    expect(code).toBe(2);
    expect(output).toContain('usage: npm run demo [-- deepgram] [-- --manual]');
  });
});
