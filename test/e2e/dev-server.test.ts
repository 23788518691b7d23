// `npm run server` as a user runs it: Web UI and gRPC up, search attributes usable before "ready",
// Ctrl-C (SIGINT) stops it, and a second start reuses the same database with the attributes intact.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';
import { freePort } from '../../src/devserver/dev-server.js';

const root = new URL('../..', import.meta.url).pathname;

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  // Its own process group, like a job in a terminal, so Ctrl-C can be sent the way a terminal sends it.
  const child = spawn('npm', ['run', 'server', '--silent'], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const deadline = Date.now() + 100_000;
  while (!out.includes('Temporal dev server ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => out };
}

/** Sends Ctrl-C and waits for npm to end; npm itself ends by the signal, our script with code 0. */
async function interrupt(child: ChildProcess): Promise<string> {
  const exited = new Promise<string>((r) => child.once('exit', (code, signal) => r(`${code ?? signal}`)));
  // A terminal's Ctrl-C signals the whole foreground process group (npm, sh, tsx, node, temporal).
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

function searchAttributes(cli: string, address: string) {
  return spawnSync(cli, ['operator', 'search-attribute', 'list', '--address', address], { encoding: 'utf8' }).stdout;
}

describe('npm run server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-devserver-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the UI and gRPC, registers the search attributes, stops on Ctrl-C and reuses its database', async () => {
    const cli = ensureTemporalCli();
    const port = await freePort();
    const uiPort = await freePort();
    const db = join(dir, 'dev.db');
    const env = { ARAZZO_TEMPORAL_PORT: String(port), ARAZZO_TEMPORAL_UI_PORT: String(uiPort), ARAZZO_TEMPORAL_DB: db };
    const address = `127.0.0.1:${port}`;

    const first = await startServer(env);
    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<!doctype html>/i);
    const listed = searchAttributes(cli, address);
    for (const name of ['ArazzoWorkflowId', 'ArazzoStep', 'ArazzoState'])
      expect(listed).toMatch(new RegExp(`${name}\\s+Keyword`));
    // Usable, not just listed: a visibility query filtering on them succeeds.
    const query = spawnSync(
      cli,
      ['workflow', 'count', '--address', address, '--query', 'ArazzoState="awaiting-approval"'],
      {
        encoding: 'utf8',
      },
    );
    expect(query.status, query.stderr).toBe(0);
    expect(['0', 'SIGINT']).toContain(await interrupt(first.child));
    expect(first.output()).toContain('Temporal dev server stopped.');
    expect(first.output()).not.toContain('exited unexpectedly');
    // Nothing left running: no process still holds this database.
    expect(spawnSync('pgrep', ['-f', db]).status).toBe(1);
    expect(existsSync(db)).toBe(true);
    await expect(fetch(`http://127.0.0.1:${uiPort}/`)).rejects.toThrow();

    const second = await startServer(env);
    expect(searchAttributes(cli, address)).toMatch(/ArazzoState\s+Keyword/);
    expect(['0', 'SIGINT']).toContain(await interrupt(second.child));
    expect(second.output()).toContain('Temporal dev server stopped.');
    expect(spawnSync('pgrep', ['-f', db]).status).toBe(1);
  });
});
