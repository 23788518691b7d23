// `check` and `list` as processes: human output with file:line:column, --json, exit codes 0/1/2.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
const DEEPGRAM = 'arazzo/rotations/deepgram-rotate-key.arazzo.yaml';
const PRISMA_SEED = 'arazzo/seeds/prisma-postgres-rotate-connection-string.arazzo.yaml';

describe.concurrent('arazzo-temporal check', () => {
  it.each([PRISMA, DEEPGRAM])('a corrected rotation is clean: exit 0 (%s)', async (doc) => {
    const { code, stdout, stderr } = await runCli(['check', doc]);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(`✔ ${doc}: 0 errors, 0 warnings`);
    expect(code).toBe(0);
  });

  it('the Prisma seed: validation and pre-flight findings at file:line:column, exit 1', async () => {
    const { code, stdout } = await runCli(['check', PRISMA_SEED]);
    expect(code).toBe(1);
    // pre-flight: the seed expects 201 where the API answers 200, reads `#/id` instead of `#/data/id`
    expect(stdout).toMatch(
      new RegExp(`^${PRISMA_SEED}:\\d+:\\d+ error \\[preflight-unknown-response-pointer\\] .*#/data/id`, 'm'),
    );
    expect(stdout).toMatch(new RegExp(`^${PRISMA_SEED}:\\d+:\\d+ error \\[preflight-list-position-target\\]`, 'm'));
    expect(stdout).toMatch(/^ {4}hint: /m);
    expect(stdout).toMatch(new RegExp(`✘ ${PRISMA_SEED}: \\d+ errors, \\d+ warnings\\n$`));
  });

  it('--json: the findings as data, same exit code', async () => {
    const { code, stdout } = await runCli(['check', PRISMA_SEED, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: false, document: PRISMA_SEED });
    expect(report.errors).toBeGreaterThan(0);
    expect(report.findings.length).toBe(report.errors + report.warnings);
    expect(report.findings[0]).toEqual(
      expect.objectContaining({
        file: PRISMA_SEED,
        line: expect.any(Number),
        column: expect.any(Number),
        code: expect.any(String),
      }),
    );
    const clean = await runCli(['check', PRISMA, '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, errors: 0, warnings: 0, findings: [] });
  });

  it('a syntax error and a missing file are findings (exit 1), not crashes', async () => {
    const syntax = await runCli(['check', 'test/fixtures/syntax-error.arazzo.yaml']);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/^test\/fixtures\/syntax-error\.arazzo\.yaml:\d+:\d+ error /m);
    const missing = await runCli(['check', 'no/such/file.arazzo.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^no\/such\/file\.arazzo\.yaml:1:1 error \[document-unreadable\]/m);
    expect(missing.stderr).toBe('');
  });

  it('--workflow limits pre-flight to one workflow; an unknown one is an error', async () => {
    const { code, stdout } = await runCli(['check', PRISMA, '--workflow', 'no-such-workflow']);
    expect(code).toBe(1);
    expect(stdout).toContain('[preflight-unknown-workflow]');
  });
});

describe.concurrent('arazzo-temporal list', () => {
  it('workflows, inputs with types, required and secret, steps and outputs', async () => {
    const { code, stdout } = await runCli(['list', DEEPGRAM]);
    expect(code).toBe(0);
    expect(stdout).toContain('workflow rotate-project-key');
    expect(stdout).toContain('apiKey: string (required, secret)');
    expect(stdout).toContain('authKeyId: string (required)\n');
    expect(stdout).toContain('scopes: array<string> (required)');
    expect(stdout).toMatch(/1\. checkOldKey → getProjectKey\n[\s\S]*5\. deleteOldKey → deleteProjectKey/);
    expect(stdout).toContain('outputs: newKeyId, newKey, deletedKeyId');
  });

  it('--json', async () => {
    const { code, stdout } = await runCli(['list', PRISMA, '--json']);
    expect(code).toBe(0);
    const d = JSON.parse(stdout);
    expect(d.workflows.map((w: { workflowId: string }) => w.workflowId)).toEqual(['rotate-connection']);
    const inputs = Object.fromEntries(d.workflows[0].inputs.map((i: { name: string }) => [i.name, i]));
    expect(inputs.apiToken).toMatchObject({ type: 'string', required: true, secret: true });
    expect(inputs.databaseId).toMatchObject({ secret: false });
    expect(d.workflows[0].steps.at(-1)).toMatchObject({ stepId: 'revokeOldConnection', target: 'deleteConnection' });
  });

  it('an invalid document: exit 1, one error line and a hint to run check', async () => {
    const { code, stdout, stderr } = await runCli(['list', 'test/fixtures/syntax-error.arazzo.yaml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: test\/fixtures\/syntax-error\.arazzo\.yaml is not a valid Arazzo document/);
    expect(stderr).toContain('hint: run: arazzo-temporal check test/fixtures/syntax-error.arazzo.yaml');
  });
});
