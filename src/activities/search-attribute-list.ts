// Which of our search attributes the run's namespace has registered: a run upserts only those (an
// unknown one fails the workflow task). Every run used to ask the server (an operator-service call per
// run, on the worker and on the server); the list changes only when an operator registers one, so it is
// kept for a minute. A failed answer counts as "none" (runs still work, without search attributes) and
// is kept for a few seconds only, so a passing outage does not leave runs without them for long.

export interface SearchAttributeListOptions {
  /** How long a list the server gave is used. */
  keepMs: number;
  /** How long "none", after a failed call, is used. */
  keepFailureMs: number;
  now: () => number;
}

export class SearchAttributeList {
  private kept?: { at: number; value: Promise<string[]>; failed: boolean };
  private readonly options: SearchAttributeListOptions;

  constructor(
    private readonly list: () => Promise<string[]>,
    options: Partial<SearchAttributeListOptions> = {},
  ) {
    this.options = { keepMs: 60_000, keepFailureMs: 5_000, now: Date.now, ...options };
  }

  get(): Promise<string[]> {
    const now = this.options.now();
    const kept = this.kept;
    if (kept && now - kept.at < (kept.failed ? this.options.keepFailureMs : this.options.keepMs)) return kept.value;
    const entry = { at: now, failed: false, value: Promise.resolve<string[]>([]) };
    entry.value = this.list().catch(() => {
      entry.failed = true;
      return [];
    });
    this.kept = entry;
    return entry.value;
  }
}
