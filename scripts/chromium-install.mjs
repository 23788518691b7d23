#!/usr/bin/env node
// The Web UI test drives Debian's chromium (/usr/bin/chromium); `npm test` must work on a fresh
// machine, so this installs it with the system package manager when it is missing (root + apt-get),
// is quiet when it is present, and otherwise fails with one clear message.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function run(cmd, args) {
  const res = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return res.status === 0;
}

if (!existsSync(CHROMIUM)) {
  const canApt = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (canApt) {
    console.error('installing chromium for the Web UI test (apt-get install chromium)...');
    if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', 'chromium'])) process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(
      `The Web UI test needs Debian's chromium at ${CHROMIUM} and it could not be installed here.\n` +
        'Install it (as root: apt-get update && apt-get install -y chromium), then run the tests again.',
    );
    process.exit(1);
  }
}
