// How much each scenario does: the full run (about half an hour on an idle 2-core machine, more when it is
// shared) and the quick smoke run (`-- --quick`, about a minute; CI may call it, never asserting timings).

export interface BenchParams {
  mode: 'full' | 'quick';
  /** Sequential single-run latency: repetitions x runs per repetition, per variant. */
  latency: { reps: number; runs: number };
  /** Concurrency ladder (each level: `runs` rotations with at most `concurrency` in flight). */
  ladder: { concurrency: number; runs: number }[];
  ladderReps: number;
  /**
   * Runs each fresh worker does, unmeasured, after its first run and before the ladder or the widest level:
   * the per-run figures are a long-lived worker's, not its JIT warming up (reported on their own row).
   */
  warmup: { concurrency: number; runs: number };
  /** The widest level, each variant once in a fresh worker (too long to repeat in the time budget). */
  wide: { concurrency: number; runs: number; reps: number };
  /** How many runs' histories are fetched per variant. */
  historySamples: number;
  /** Scenario 1b (the promise ladder): each rung's one measured level, its repetitions, and its history samples. */
  promises: { concurrency: number; runs: number; reps: number; historySamples: number };
  respect: { rotations: number; singleRuns: number; oursReps: number; largeResponsePairs: number };
  largeResponse: { pairs: number; largeBytes: number };
  /** The large description is written without YAML aliases; a smaller one with them shows how load grows. */
  engine: { reps: number; loopMs: number; largeDescriptionBytes: number; aliasedDescriptionBytes: number };
  /**
   * Runs parked at the approval step at once (`--parked-runs=N` overrides), sampled every `sampleEveryMs`
   * (runs started, parked, finished; worker RSS); `maxCachedWorkflows` (`--parked-cache=N`) is passed to
   * the worker child as ARAZZO_MAX_CACHED_WORKFLOWS, else the worker's own default applies.
   */
  parked: { runs: number; historySamples: number; sampleEveryMs: number; maxCachedWorkflows?: number };
  /** Runs waiting at a receive step on one topic at once; `latencySamples` replies timed one at a time. */
  waiting: { runs: number; latencySamples: number };
}

export const FULL: BenchParams = {
  mode: 'full',
  latency: { reps: 3, runs: 8 },
  ladder: [
    { concurrency: 1, runs: 6 },
    { concurrency: 10, runs: 20 },
    { concurrency: 100, runs: 100 },
  ],
  ladderReps: 2,
  warmup: { concurrency: 10, runs: 100 },
  wide: { concurrency: 500, runs: 500, reps: 1 },
  historySamples: 5,
  promises: { concurrency: 100, runs: 200, reps: 4, historySamples: 3 },
  respect: { rotations: 200, singleRuns: 5, oursReps: 1, largeResponsePairs: 5 },
  largeResponse: { pairs: 10, largeBytes: 1_000_000 },
  engine: { reps: 5, loopMs: 300, largeDescriptionBytes: 1_000_000, aliasedDescriptionBytes: 200_000 },
  parked: { runs: 1000, historySamples: 100, sampleEveryMs: 2000 },
  waiting: { runs: 1000, latencySamples: 20 },
};

export const QUICK: BenchParams = {
  mode: 'quick',
  latency: { reps: 2, runs: 2 },
  ladder: [
    { concurrency: 1, runs: 2 },
    { concurrency: 5, runs: 5 },
  ],
  ladderReps: 2,
  warmup: { concurrency: 2, runs: 4 },
  wide: { concurrency: 10, runs: 10, reps: 1 },
  historySamples: 2,
  promises: { concurrency: 5, runs: 5, reps: 1, historySamples: 1 },
  respect: { rotations: 4, singleRuns: 1, oursReps: 1, largeResponsePairs: 1 },
  largeResponse: { pairs: 3, largeBytes: 1_000_000 },
  engine: { reps: 2, loopMs: 100, largeDescriptionBytes: 1_000_000, aliasedDescriptionBytes: 50_000 },
  parked: { runs: 30, historySamples: 10, sampleEveryMs: 500 },
  waiting: { runs: 20, latencySamples: 3 },
};
