// `npm run bench` (about half an hour on an idle 2-core machine) or `npm run bench -- --quick` (about a
// minute; a smoke run). Starts its own in-memory dev server, worker children and simulators, runs
// every scenario (or those named with `--only a,b`), and writes bench/results/<timestamp>.md/.json
// and latest.md. `--cpu-prof` writes V8 CPU profiles of every worker child to bench/results/profiles/.
// `--parked-runs=N` and `--parked-cache=N` set scenario 4's run count and its worker's workflow cache size.
import { join } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { type BenchEnv, resultsDir, startBenchEnv } from './lib/environment.js';
import { machineInfo } from './lib/machine.js';
import { markdown, type Report, writeReport } from './lib/report.js';
import { nowMs } from './lib/time.js';
import { type BenchParams, FULL, QUICK } from './params.js';
import { runEngine } from './scenarios/engine.js';
import { runLargeResponse } from './scenarios/large-response.js';
import { runParked } from './scenarios/parked.js';
import { runPromiseLadder } from './scenarios/promise-ladder.js';
import { runVersusHandwritten } from './scenarios/versus-handwritten.js';
import { runVersusRespect } from './scenarios/versus-respect.js';
import { runWaiting } from './scenarios/waiting.js';

const args = process.argv.slice(2);

/** The value of `--name=N` as a whole number of at least `min`; undefined when the option is absent. */
function intOption(name: string, min: number): number | undefined {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`bench: --${name}=${raw} is not a whole number of at least ${min}`);
    process.exit(2);
  }
  return value;
}

const base = args.includes('--quick') ? QUICK : FULL;
// The worker ignores a cache size below 2 (src/worker.ts defaultMaxCachedWorkflows), so it is refused here.
const parkedRuns = intOption('parked-runs', 1);
const parkedCache = intOption('parked-cache', 2);
const params: BenchParams = {
  ...base,
  parked: {
    ...base.parked,
    ...(parkedRuns === undefined ? {} : { runs: parkedRuns }),
    ...(parkedCache === undefined ? {} : { maxCachedWorkflows: parkedCache }),
  },
};
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const cpuProfileDir = args.includes('--cpu-prof') ? join(resultsDir, 'profiles') : undefined;

const quiet = () => {};
Runtime.install({ logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error } });

const startedAt = new Date().toISOString();
const start = nowMs();
const machine = machineInfo();
console.log(
  `bench (${params.mode}) on ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverageAtStart}`,
);
const report: Report = { startedAt, durationSeconds: 0, machine, parameters: params, scenarios: {}, errors: {} };

// Each scenario starts its own dev server: one scenario's thousands of closed workflows in the server's
// database would otherwise slow the next, and a scenario's absolute figures (scenario 4's time to park
// 1,000 runs) would depend on which scenarios ran before it.
const scenarios: Record<string, (env: BenchEnv) => Promise<Report['scenarios'][string]>> = {
  engine: async (env) => ({ ...(await runEngine(env.workDir, params)) }),
  handwritten: async (env) => ({ ...(await runVersusHandwritten(env, params)) }),
  promises: async (env) => ({ ...(await runPromiseLadder(env, params)) }),
  respect: async (env) => ({ ...(await runVersusRespect(env, params)) }),
  'large-response': async (env) => ({ ...(await runLargeResponse(env, params)) }),
  parked: async (env) => ({ ...(await runParked(env, params)) }),
  'parked-handwritten': async (env) => ({ ...(await runParked(env, params, 'handwritten')) }),
  'parked-promised': async (env) => ({ ...(await runParked(env, params, 'handwritten-promised')) }),
  waiting: async (env) => ({ ...(await runWaiting(env, params)) }),
};

let failed = false;
for (const [name, run] of Object.entries(scenarios)) {
  if (only && !only.includes(name)) continue;
  const t = nowMs();
  console.log(`scenario ${name}...`);
  let env: BenchEnv | undefined;
  try {
    env = await startBenchEnv({ cpuProfileDir });
    report.scenarios[name] = await run(env);
    console.log(`scenario ${name} done in ${Math.round((nowMs() - t) / 1000)} s`);
  } catch (err) {
    failed = true;
    report.errors[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`scenario ${name} failed:`, err);
  } finally {
    await env?.close();
  }
}
report.durationSeconds = (nowMs() - start) / 1000;
const written = writeReport(report);
console.log(`\n${markdown(report)}\nwrote ${written.markdownPath} and ${written.jsonPath} (and latest.md)`);
process.exit(failed ? 1 : 0);
