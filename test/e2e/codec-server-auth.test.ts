// The codec server decrypts history for whoever may call it, so by default it demands a token: any
// local process could otherwise POST a run's start event to /decode and read the secret in it.
// `npm run codec-server` runs as a process here: it creates its token file (0600) on first start,
// says where the token is (never what it is), refuses /decode without it (401, nothing decoded),
// decodes with it (bearer header, or the cookie a browser gets from /login for the Web UI), keeps the
// token across restarts, and runs without authentication only when told to, saying so.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protos from '@temporalio/proto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { connectTestEnv, type TemporalTestEnv } from '../support/temporal.js';

const codecCli = join(projectRoot, 'src', 'codec', 'cli.ts');

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

describe('codec server: authentication by default', () => {
  let env: TemporalTestEnv;
  let work: string;
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    work = mkdtempSync(join(tmpdir(), 'arazzo-codec-auth-'));
  });
  afterEach(async () => {
    for (const child of running.splice(0)) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
  afterAll(async () => {
    await env?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** `npm run codec-server` with the e2e run's key, on a free port. */
  async function startCodecCli(extraEnv: Record<string, string>, args: string[] = []): Promise<Running> {
    const child = spawn(process.execPath, ['--import', 'tsx', codecCli, ...args], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ARAZZO_CODEC_KEYS: inject('codecKeys'),
        ARAZZO_CODEC_PORT: '0',
        ARAZZO_CODEC_TOKEN: '',
        ARAZZO_CODEC_INSECURE: '',
        ARAZZO_CODEC_ORIGINS: env.uiUrl,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    // Started: its URL, then what it says about authentication (the token's file, or a warning on stderr).
    const started = () => /codec server on (http:\/\/\S+)/.exec(output)?.[1];
    while (!started() || !/codec token:|WITHOUT authentication/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`codec server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child, url: started()!, output: () => output };
  }

  /** A run's start event as the Web UI would send it to /decode (its payloads still encrypted). */
  async function startEventBody(secret: string): Promise<string> {
    const taskQueue = env.uniqueTaskQueue('codec-auth');
    const handle = await env.client.workflow.start('fetchStatusWorkflow', {
      taskQueue,
      workflowId: `${taskQueue}-run`,
      args: [`http://127.0.0.1:9/never-called?token=${secret}`],
    });
    const history = await handle.fetchHistory();
    await handle.terminate('test over');
    const started = history.events!.find(
      (e) => e.eventType === protos.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    )!;
    const payloads = started.workflowExecutionStartedEventAttributes!.input!.payloads!;
    return JSON.stringify({
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    });
  }

  const decode = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('refuses /decode without the token (401, nothing decoded) and decodes with it; the token is never printed', async () => {
    const secret = `sk_${randomBytes(12).toString('hex')}`;
    const body = await startEventBody(secret);
    expect(body.includes(secret)).toBe(false); // encrypted in history

    const tokenFile = join(work, 'first', 'codec-token');
    const server = await startCodecCli({ ARAZZO_CODEC_TOKEN_FILE: tokenFile });

    // A local process without the token: refused, and the answer holds nothing decoded.
    const anonymous = await decode(server.url, body);
    expect(anonymous.status).toBe(401);
    const refusedText = await anonymous.text();
    expect(refusedText.includes(secret)).toBe(false);
    expect(refusedText).not.toContain('payloads');
    const wrong = await decode(server.url, body, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expect((await wrong.text()).includes(secret)).toBe(false);

    // The token was generated on first start, 0600, and only its location was printed.
    expect(existsSync(tokenFile)).toBe(true);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(server.output()).toContain(tokenFile);
    expect(server.output().includes(token)).toBe(false);

    // With the token (what `temporal --codec-auth "Bearer …"` sends): decoded.
    const authorized = await decode(server.url, body, { authorization: `Bearer ${token}` });
    expect(authorized.status).toBe(200);
    const decoded = (await authorized.json()) as { payloads: Array<{ data: string }> };
    expect(Buffer.from(decoded.payloads[0].data, 'base64').toString().includes(secret)).toBe(true);

    // A browser: /login with the token sets an HttpOnly cookie; the Web UI's requests then carry it
    // ("include cross-origin credentials") from the UI's origin.
    const loginPage = await fetch(`${server.url}/login`);
    expect(loginPage.status).toBe(200);
    expect((await loginPage.text()).includes(token)).toBe(false);
    const badLogin = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=not-the-token',
      redirect: 'manual',
    });
    expect(badLogin.status).toBe(401);
    expect(badLogin.headers.get('set-cookie')).toBeNull();
    const login = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie.includes(token)).toBe(false); // a session, not the token itself
    const fromUi = await decode(server.url, body, { origin: env.uiUrl, cookie: cookie.split(';')[0] });
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-credentials')).toBe('true');
    const forgedCookie = await decode(server.url, body, { origin: env.uiUrl, cookie: 'arazzo_codec=forged' });
    expect(forgedCookie.status).toBe(401);

    // The log has request lines, never a payload or the token.
    expect(server.output().includes(secret)).toBe(false);
    expect(server.output().includes(token)).toBe(false);
    expect(server.output()).toMatch(/codec POST \/decode 401 payloads=0/);

    // A restart keeps the token (the Web UI and shells that use it keep working).
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    const again = await startCodecCli({ ARAZZO_CODEC_TOKEN_FILE: tokenFile });
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect((await decode(again.url, body)).status).toBe(401);
    expect((await decode(again.url, body, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('runs without authentication only when told to (--insecure-no-auth or ARAZZO_CODEC_INSECURE=1), and says so', async () => {
    const secret = `sk_${randomBytes(12).toString('hex')}`;
    const body = await startEventBody(secret);
    const tokenFile = join(work, 'insecure', 'codec-token');
    for (const [extraEnv, args] of [
      [{ ARAZZO_CODEC_TOKEN_FILE: tokenFile }, ['--insecure-no-auth']],
      [{ ARAZZO_CODEC_TOKEN_FILE: tokenFile, ARAZZO_CODEC_INSECURE: '1' }, []],
    ] as const) {
      const server = await startCodecCli(extraEnv, [...args]);
      expect(server.output()).toMatch(/WITHOUT authentication/);
      const open = await decode(server.url, body);
      expect(open.status).toBe(200);
      expect(existsSync(tokenFile)).toBe(false);
    }
    // Off loopback, never without a token.
    const refused = spawn(process.execPath, ['--import', 'tsx', codecCli, '--insecure-no-auth'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ARAZZO_CODEC_KEYS: inject('codecKeys'),
        ARAZZO_CODEC_PORT: '0',
        ARAZZO_CODEC_HOST: '0.0.0.0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(refused);
    let output = '';
    refused.stderr?.on('data', (d) => (output += d));
    const code = await new Promise((r) => refused.once('exit', r));
    expect(code).not.toBe(0);
    expect(output).toMatch(/not loopback/);
  });
});
