// Every command's --help, run as a process: exit 0, its usage line and the flags it documents.
// Usage mistakes exit 2 with one line and a hint, never a stack trace.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const HELP: Array<[string[], string[]]> = [
  [
    [],
    [
      'check',
      'list',
      'start',
      'approve',
      'reject',
      'status',
      'cancel',
      'runs',
      'history',
      'worker',
      'server',
      'manage',
      'managed',
      'schedule',
      'demo',
      'TEMPORAL_ADDRESS',
    ],
  ],
  [['check'], ['<document>', '--json', '--workflow', '--strict', 'Exit codes: 0']],
  [['list'], ['<document>', '--json']],
  [
    ['start'],
    [
      '<document>',
      '--workflow',
      '--input',
      '--server',
      '--approve-steps',
      '--id',
      '--task-queue',
      '--wait',
      '--document-root',
    ],
  ],
  [['approve'], ['<workflow-id>', '--step', '--by', '--reason', '--wait']],
  [['reject'], ['<workflow-id>', '--step', '--by', '--reason', '--compensate']],
  [['status'], ['<workflow-id>', '--json']],
  [['cancel'], ['<workflow-id>', '--reason', '--json']],
  [['runs'], ['--state', '--status', '--workflow', '--limit', '--json']],
  [['history'], ['<workflow-id>', '--json']],
  [['worker'], ['--task-queue', '--document-root', '--log-level']],
  [
    ['server'],
    [
      '--port',
      '--ui-port',
      '--no-ui',
      '--db',
      '--in-memory',
      '--ui-codec-endpoint',
      '--codec-port',
      '--no-codec',
      '--codec-insecure-no-auth',
    ],
  ],
  [
    ['manage'],
    ['<document>', '--every', '--cron', '--first-in', '--on-busy', '--retry-after', '--input', '--task-queue'],
  ],
  [['managed'], ['list', 'show', 'rotate', 'pause', 'resume', 'retire']],
  [
    ['managed', 'show'],
    ['<id>', '--json'],
  ],
  [
    ['managed', 'rotate'],
    ['<id>', '--by', '--reason'],
  ],
  [
    ['managed', 'resume'],
    ['<id>', '--by'],
  ],
  [['schedule'], ['create', 'list', 'pause', 'unpause', 'trigger', 'delete', '--every 30d']],
  [
    ['schedule', 'create'],
    ['[document]', '--every', '--input', '--task-queue', '--paused'],
  ],
  [['schedule', 'list'], ['--json']],
  [
    ['schedule', 'pause'],
    ['<schedule-id>', '--note'],
  ],
  [['schedule', 'unpause'], ['<schedule-id>']],
  [['schedule', 'trigger'], ['<schedule-id>']],
  [['schedule', 'delete'], ['<schedule-id>']],
  [['demo'], ['[provider]', 'prisma', 'deepgram', '--manual']],
];

describe.concurrent('arazzo-temporal --help', () => {
  it.each(HELP)('%j --help', async (command, mentions) => {
    const { code, stdout, stderr } = await runCli([...command, '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: arazzo-temporal${command.length ? ` ${command.join(' ')}` : ''}`);
    for (const text of mentions) expect(stdout).toContain(text);
    // Defaults said once, and never for off switches or empty lists.
    expect(stdout).not.toMatch(/\(default: (false|\[\])\)/);
    expect(stdout.replace(/\s+/g, ' ')).not.toMatch(/default:[^()]*\([^()]*\)[^()]*\) \(default:/);
    expect(stdout.replace(/\s+/g, ' ')).not.toMatch(/\(default: [^()]*\) \(default:/);
  });

  it('schedule with no arguments lists its subcommands (exit 0)', async () => {
    const { code, stdout, stderr } = await runCli(['schedule']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const sub of ['create', 'list', 'pause', 'unpause', 'trigger', 'delete']) {
      expect(stdout).toMatch(new RegExp(`^  ${sub} `, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['check'], /missing required argument 'document'/],
    [['check', 'x.yaml', '--bogus'], /unknown option '--bogus'/],
    [['reject', 'some-run'], /required option '--reason <text>' not specified/],
    [['server', '--port', 'abc'], /not a port/],
    [['schedule', 'create', 'x.yaml'], /required option '--every <interval>' not specified/],
  ])('usage error %j exits 2 with one line and a hint', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('(add --help for usage)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
