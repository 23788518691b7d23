// Why the CLI cannot connect, told apart: a closed port (nothing listens: start a server) is not a busy
// server (something accepted the connection and did not answer in time: retry, or wait longer). The
// busy server is a real loopback TCP listener that accepts and never says a word; the CLI runs as a
// process. `--connect-timeout` / ARAZZO_CONNECT_TIMEOUT set how long it waits (default 5 s).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/devserver/dev-server.js';
import { runCli } from '../support/cli.js';

const START_A_SERVER =
  'hint: start a dev server with `arazzo-temporal server` (or `npm run server`), or point TEMPORAL_ADDRESS / --address / a temporal.toml profile at your cluster';

describe('arazzo-temporal: nothing listening vs a server that does not answer in time', () => {
  let busy: Server;
  let busyAddress: string;
  /** Every connection the busy listener accepted: when, and when the other side let go of it. */
  const connections: Array<{ at: number; closedAt?: number }> = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    busy = createServer((socket) => {
      const seen: { at: number; closedAt?: number } = { at: Date.now() };
      connections.push(seen);
      sockets.add(socket);
      socket.on('error', () => undefined);
      // Reads (and ignores) what the client sends, so that its closing is seen; it never answers.
      socket.resume();
      socket.on('close', () => {
        seen.closedAt = Date.now();
        sockets.delete(socket);
      });
    });
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyAddress = `127.0.0.1:${(busy.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => busy?.close(resolve));
  });

  /** The longest any connection was held open, once every one of them is closed. */
  async function longestHeldMs(): Promise<number> {
    const deadline = Date.now() + 5_000;
    while (connections.some((c) => c.closedAt === undefined) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.every((c) => c.closedAt !== undefined)).toBe(true);
    return Math.max(...connections.map((c) => c.closedAt! - c.at));
  }

  it('a closed port: nothing listens there (connection refused), so start a server', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const { code, stdout, stderr } = await runCli(['status', 'x', '--address', closed]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error: cannot connect to Temporal at ${closed}: nothing listens there (connection refused)\n${START_A_SERVER}\n`,
    );
  });

  it('a listener that never answers: it did not answer in time, retry or wait longer (ARAZZO_CONNECT_TIMEOUT=1s)', async () => {
    connections.length = 0;
    const { code, stdout, stderr } = await runCli(['status', 'x', '--address', busyAddress], {
      env: { ARAZZO_CONNECT_TIMEOUT: '1s' },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error: Temporal at ${busyAddress} did not answer within 1 s: something accepts connections there, but it did not answer in time\n` +
        'hint: the server may be busy or still starting: retry, or allow longer with --connect-timeout 30s (or ARAZZO_CONNECT_TIMEOUT=30s); if it is not a Temporal frontend, or needs TLS, check TEMPORAL_ADDRESS / --address / the temporal.toml profile and the TLS settings\n',
    );
    // It gave up after about 1 s, well before the default 5 s.
    expect(await longestHeldMs()).toBeLessThan(4_000);
  });

  it('--connect-timeout waits longer, and wins over ARAZZO_CONNECT_TIMEOUT', async () => {
    connections.length = 0;
    const { code, stderr } = await runCli(['--connect-timeout', '8s', 'status', 'x', '--address', busyAddress], {
      env: { ARAZZO_CONNECT_TIMEOUT: '1s' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^error: Temporal at ${busyAddress} did not answer within 8 s: `));
    expect(await longestHeldMs()).toBeGreaterThanOrEqual(7_500);
  });

  it('a timeout that is not a duration is a usage error (exit 2), before any connection', async () => {
    connections.length = 0;
    const flag = await runCli(['--connect-timeout', 'soon', 'status', 'x', '--address', busyAddress]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      'error: --connect-timeout soon: not a duration\nhint: write it like 30s, 1500ms, 2m or 1h (a bare number is seconds)\n',
    );
    const variable = await runCli(['status', 'x', '--address', busyAddress], { env: { ARAZZO_CONNECT_TIMEOUT: '0' } });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toMatch(/^error: ARAZZO_CONNECT_TIMEOUT 0: not a duration\n/);
    expect(connections).toEqual([]);
  });
});

// The deployment path without a cluster of our own: a temporal.toml profile (what Temporal Cloud and
// self-hosted clusters are reached by) selects the address and namespace, with nothing in the environment.
describe('arazzo-temporal: a temporal.toml profile chooses where to connect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arazzo-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--profile reaches the server the profile names; another profile, another server', async () => {
    const closed = await freePort();
    const file = join(dir, 'temporal.toml');
    writeFileSync(
      file,
      [
        '[profile.staging]',
        `address = "${inject('temporalAddress')}"`,
        `namespace = "${inject('temporalNamespace')}"`,
        '',
        '[profile.nowhere]',
        `address = "127.0.0.1:${closed}"`,
        'namespace = "default"',
        '',
      ].join('\n'),
    );
    const env = { TEMPORAL_ADDRESS: undefined, TEMPORAL_NAMESPACE: undefined, TEMPORAL_CONFIG_FILE: file };
    const staging = await runCli(['--profile', 'staging', 'runs', '--limit', '1', '--json'], { env });
    expect(staging.stderr).toBe('');
    expect(staging.code).toBe(0);
    expect(JSON.parse(staging.stdout)).toEqual({ query: 'WorkflowType="arazzoRun"', runs: expect.any(Array) });
    const nowhere = await runCli(['--profile', 'nowhere', 'runs', '--limit', '1'], { env });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain(`127.0.0.1:${closed}`);
  });
});
