// The evaluation budget: how much work one step's judgement may do.
//
// Criteria run synchronously on the worker's main thread (JSONPath, XPath and regular expressions are
// synchronous libraries), so nothing can interrupt an evaluation from outside: a bound has to be
// checked from inside, at the places where the work happens. We count work instead of measuring time:
// the engine is pure (no clock), a count gives the same verdict on every worker, on a retry and under
// any load, and it needs the same checkpoints a clock would. Each engine charges what its work costs:
// - the RFC 9535 evaluator (jsonpath-rfc9535.ts): one unit per node it visits or compares;
// - Goessner JSONPath (jsonpath-plus): one unit per property the library reads from the value;
// - XPath: one unit per node a location step examines, plus the size of each function result and
//   the pairs of a node-set comparison, charged before the comparison runs;
// - regular expressions (RE2, linear time): subject length × pattern length, charged before matching.
// A criterion that runs out fails with "evaluation budget exceeded" and says what it was doing; the
// work done past the limit is at most one checkpoint's worth.

/**
 * Units for one step's judgement (all its criteria). Measured on a two-core development machine
 * shared with other work: 65–200 ns per unit under heavy load (load average 16), so at most a few
 * seconds there and well under that unloaded; a plain filter over 300,000 array elements still fits.
 */
export const EVALUATION_BUDGET = 50_000_000;
/** One JSON node visited, selected or compared by the RFC 9535 evaluator. */
export const JSON_NODE_UNITS = 16;
/** One property read (or key listed) by jsonpath-plus, whose interpreter is much slower per node. */
export const PROXY_READ_UNITS = 128;

export class BudgetExceeded extends Error {
  constructor(
    readonly limit: number,
    readonly what: string,
  ) {
    super(`evaluation budget exceeded (${limit.toLocaleString('en-US')} units) while ${what}`);
    this.name = 'BudgetExceeded';
  }
}

export class EvaluationBudget {
  private used = 0;
  constructor(readonly limit: number = EVALUATION_BUDGET) {}

  /** Takes `units` from the budget, or throws BudgetExceeded naming `what` was being done. */
  spend(units: number, what: string): void {
    this.used += units;
    if (this.used > this.limit) throw new BudgetExceeded(this.limit, what);
  }

  get spent(): number {
    return this.used;
  }

  get exhausted(): boolean {
    return this.used > this.limit;
  }
}

export const BUDGET_HINT =
  'narrow the context (e.g. `$response.body#/data` instead of the whole body) or the query (no `..` over large documents)';
