// `check` and `list` as processes: human output with file:line:column, --json, exit codes 0/1/2.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, cliPath, projectRoot, runCli } from '../support/cli.js';

const PRISMA = 'arazzo/rotations/prisma-rotate-connection.arazzo.yaml';
const DEEPGRAM = 'arazzo/rotations/deepgram-rotate-key.arazzo.yaml';
const PRISMA_SEED = 'arazzo/seeds/prisma-postgres-rotate-connection-string.arazzo.yaml';

describe.concurrent('arazzo-temporal check', () => {
  it.each([PRISMA, DEEPGRAM])('a corrected rotation is clean: exit 0 (%s)', async (doc) => {
    const { code, stdout, stderr } = await runCli(['check', doc]);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(
      `validated against Arazzo 1.0 (schema https://spec.openapis.org/arazzo/1.0/schema/2025-10-15)\n✔ ${doc}: 0 errors, 0 warnings`,
    );
    expect(code).toBe(0);
  });

  it.each([
    'arazzo/rotations/prisma-rotate-connection-1.1.arazzo.yaml',
    'arazzo/rotations/deepgram-rotate-key-1.1.arazzo.yaml',
  ])('the 1.1 form of a corrected rotation is clean, validated against 1.1 (%s)', async (doc) => {
    const { code, stdout, stderr } = await runCli(['check', doc]);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(
      `validated against Arazzo 1.1 (schema https://spec.openapis.org/arazzo/1.1/schema/WORK-IN-PROGRESS)\n✔ ${doc}: 0 errors, 0 warnings`,
    );
    expect(code).toBe(0);
  });

  it('a 1.1 document: says it was validated against 1.1; --json says so too', async () => {
    const doc = 'test/fixtures/pets-1.1.arazzo.yaml';
    const { code, stdout, stderr } = await runCli(['check', doc]);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(
      `validated against Arazzo 1.1 (schema https://spec.openapis.org/arazzo/1.1/schema/WORK-IN-PROGRESS)\n✔ ${doc}: 0 errors, 0 warnings`,
    );
    expect(code).toBe(0);
    const json = await runCli(['check', doc, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      validatedAgainst: { version: '1.1', schemaId: 'https://spec.openapis.org/arazzo/1.1/schema/WORK-IN-PROGRESS' },
    });
  });

  it('arazzo: 2.0.0 is one clear error, not a schema dump', async () => {
    const doc = 'test/fixtures/unsupported-version.arazzo.yaml';
    const { code, stdout } = await runCli(['check', doc]);
    expect(stdout.trim().split('\n')).toEqual([
      `${doc}:1:9 error [unsupported-arazzo-version] Arazzo version "2.0.0" is not supported: this engine runs Arazzo 1.0.x and 1.1.x documents (at /arazzo)`,
      '    hint: this engine implements the Arazzo 1.x specifications; convert the document to Arazzo 1.1',
      `✘ ${doc}: 1 error, 0 warnings`,
    ]);
    expect(code).toBe(1);
  });

  it('the Prisma seed: validation and pre-flight findings at file:line:column, exit 1', async () => {
    const { code, stdout } = await runCli(['check', PRISMA_SEED]);
    expect(code).toBe(1);
    // pre-flight: the seed expects 201 where the API answers 200, reads `#/id` instead of `#/data/id`
    expect(stdout).toMatch(
      new RegExp(`^${PRISMA_SEED}:\\d+:\\d+ warning \\[preflight-undeclared-response-pointer\\] .*#/data/id`, 'm'),
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

// A command printed in a hint is one the user can paste: its path is valid from the directory the user ran
// the CLI in (relative to it, or absolute) and quoted for the shell. Each hint is run here with `sh -c`,
// from that directory, with `arazzo-temporal` standing for this checkout's bin.
describe('hinted commands run as printed, from where they were printed', () => {
  const base = mkdtempSync(join(tmpdir(), 'arazzo-hints-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const root = join(base, 'doc root'); // a space: the path in a hint must be quoted
  const elsewhere = join(base, 'elsewhere');
  mkdirSync(join(root, 'rotations'), { recursive: true });
  mkdirSync(elsewhere);
  cpSync(join(projectRoot, 'arazzo', 'openapi'), join(root, 'openapi'), { recursive: true });
  cpSync(join(projectRoot, PRISMA), join(root, 'rotations', 'prisma.arazzo.yaml'));
  const BROKEN = 'arazzo: 1.0.1\ninfo: { title: broken, version: 1.0.0 }\nsourceDescriptions: []\nworkflows: []\n';
  writeFileSync(join(root, 'rotations', 'broken.arazzo.yaml'), BROKEN);

  function runHint(stderr: string, prefix: string, cwd: string) {
    const command = new RegExp(`^hint: ${prefix}(arazzo-temporal .+)$`, 'm').exec(stderr)?.[1];
    expect(command, stderr).toBeDefined();
    const bin = `'${process.execPath}' '${cliPath}'`;
    return spawnSync('sh', ['-c', command!.replace(/^arazzo-temporal /, `${bin} `)], {
      cwd,
      env: cliEnv(),
      encoding: 'utf8',
    });
  }

  it('start, given a path from the document root, refuses an invalid document: the hinted check checks it', async () => {
    const started = await runCli(['start', 'rotations/broken.arazzo.yaml', '--document-root', root], {
      cwd: elsewhere,
    });
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(
      /^error: rotations\/broken\.arazzo\.yaml is not a valid Arazzo document \(\d+ errors?\); no run was started:\n.*broken\.arazzo\.yaml:\d+:\d+ error \[schema\]/,
    );
    const checked = runHint(started.stderr, 'run: ', elsewhere);
    expect(checked.stdout).not.toContain('document-unreadable');
    expect(checked.stdout).toMatch(/ error \[schema\] "workflows" must NOT have fewer than 1 items/);
    expect(checked.stdout).toMatch(/✘ .*broken\.arazzo\.yaml: [1-9]\d* errors?, /);
    expect(checked.status).toBe(1);
  });

  it("start with inputs that do not fit: the hinted list shows the workflow's inputs", async () => {
    const started = await runCli(
      ['start', 'rotations/prisma.arazzo.yaml', '--document-root', root, '--input', 'databaseId=db1'],
      { cwd: elsewhere },
    );
    expect(started.code).toBe(2);
    const listed = runHint(started.stderr, 'see the inputs with: ', elsewhere);
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toContain('apiToken: string (required, secret)');
    expect(listed.status).toBe(0);
  });

  it('list, given a path relative to the current directory (with a space in it): the hinted check checks it', async () => {
    const listed = await runCli(['list', 'doc root/rotations/broken.arazzo.yaml'], { cwd: base });
    expect(listed.code).toBe(1);
    const checked = runHint(listed.stderr, 'run: ', base);
    expect(checked.stdout).not.toContain('document-unreadable');
    expect(checked.stdout).toMatch(/✘ .*broken\.arazzo\.yaml: [1-9]\d* errors?, /);
    expect(checked.status).toBe(1);
    expect(readFileSync(join(root, 'rotations', 'broken.arazzo.yaml'), 'utf8')).toBe(BROKEN);
  });
});
