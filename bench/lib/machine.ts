// What the numbers were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { ensureTemporalCli } from '../../scripts/temporal-install.mjs';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  temporalSdk: string;
  temporalCli: string;
  redoclyCli?: string;
  gitCommit?: string;
  /** 1-minute load average when the bench started (other work on the machine skews every figure). */
  loadAverageAtStart: number;
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | undefined {
  try {
    const path = require.resolve(`${name}/package.json`);
    return JSON.parse(readFileSync(path, 'utf8')).version;
  } catch {
    return undefined;
  }
}

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    temporalSdk: packageVersion('@temporalio/worker') ?? 'unknown',
    temporalCli: run(ensureTemporalCli({ quiet: true }), ['--version']) ?? 'unknown',
    redoclyCli: packageVersion('@redocly/cli'),
    gitCommit: run('git', ['rev-parse', '--short', 'HEAD']),
    loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}
