// Fault injection per route. A fault fires at one of two points of a request's life:
//   'before-state-change': the request has been read, nothing has happened to the simulator's state yet;
//   'after-state-change':  the handler has run (a connection/key may now exist or be gone), nothing sent yet.
// That split is the point: a client that sees a 500, a timeout or a reset cannot tell which of the two
// happened, and a durable workflow must be correct either way. Faults are consumed in registration order;
// latency and holds then let the request continue, status and drop end it.
import { routeShape } from './router.js';

export type FaultPhase = 'before-state-change' | 'after-state-change';

/** How many requests a fault applies to: a count (default 1, one-shot) or until cleared. */
export type FaultTimes = number | 'always';

export interface FaultOptions {
  times?: FaultTimes;
  phase?: FaultPhase;
}

export type FaultAction =
  | { type: 'status'; status: number; retryAfterSeconds?: number; body?: unknown }
  | { type: 'latency'; ms: number }
  | { type: 'hold' }
  | { type: 'drop' };

export interface HeldRequest {
  method: string;
  path: string;
  phase: FaultPhase;
}

export interface FaultHandle {
  readonly route: string;
  readonly action: FaultAction;
  readonly phase: FaultPhase;
  /** Requests this fault has fired on so far. */
  readonly hits: number;
  readonly active: boolean;
  clear(): void;
}

export interface Hold extends FaultHandle {
  /** Resolves when the first request is caught by this hold. */
  readonly reached: Promise<HeldRequest>;
  /** Requests currently waiting on this hold. */
  readonly waiting: number;
  /** Let every waiting request continue; the hold is then spent (later requests pass). */
  release(): void;
}

/** What the server pipeline does with the faults that fired at one point. */
export type FaultOutcome =
  | { type: 'continue'; applied: string[] }
  | { type: 'status'; status: number; retryAfterSeconds?: number; body?: unknown; applied: string[] }
  | { type: 'drop'; applied: string[] };

class ArmedFault implements FaultHandle {
  hits = 0;
  cleared = false;
  constructor(
    readonly route: string,
    readonly shape: string,
    readonly action: FaultAction,
    readonly phase: FaultPhase,
    readonly times: FaultTimes,
  ) {}
  get active(): boolean {
    return !this.cleared && (this.times === 'always' || this.hits < this.times);
  }
  clear(): void {
    this.cleared = true;
  }
  describe(): string {
    const a = this.action;
    const what = a.type === 'status' ? `status ${a.status}` : a.type === 'latency' ? `latency ${a.ms}ms` : a.type;
    return `${what} @${this.phase}`;
  }
}

class ArmedHold extends ArmedFault implements Hold {
  readonly reached: Promise<HeldRequest>;
  waiting = 0;
  #resolveReached!: (r: HeldRequest) => void;
  #releaseGate!: () => void;
  readonly gate: Promise<void>;
  constructor(route: string, shape: string, phase: FaultPhase, times: FaultTimes) {
    super(route, shape, { type: 'hold' }, phase, times);
    this.reached = new Promise((resolve) => {
      this.#resolveReached = resolve;
    });
    this.gate = new Promise((resolve) => {
      this.#releaseGate = resolve;
    });
  }
  caught(req: HeldRequest): void {
    this.#resolveReached(req);
  }
  release(): void {
    this.cleared = true;
    this.#releaseGate();
  }
  override clear(): void {
    this.release();
  }
}

export class FaultInjector {
  readonly #routes: Map<string, string>;
  #faults: ArmedFault[] = [];

  /** `routeKeys` are the simulator's routes; naming any other route is a test bug and throws. */
  constructor(routeKeys: readonly string[]) {
    this.#routes = new Map(routeKeys.map((k) => [routeShape(k), k]));
  }

  /** Answer with `status` (provider's error format) instead of the real response; 429 gets `Retry-After`. */
  status(route: string, status: number, options: FaultOptions & { retryAfterSeconds?: number; body?: unknown } = {}) {
    const retryAfterSeconds = options.retryAfterSeconds ?? (status === 429 || status === 503 ? 1 : undefined);
    return this.#arm(route, { type: 'status', status, retryAfterSeconds, body: options.body }, options);
  }

  /** Delay the request by `ms` (then it proceeds normally). */
  latency(route: string, ms: number, options: FaultOptions = {}) {
    return this.#arm(route, { type: 'latency', ms }, options);
  }

  /** Park requests until `release()`; with phase 'after-state-change' the state change has already happened. */
  hold(route: string, options: FaultOptions = {}): Hold {
    const key = this.#resolve(route);
    const hold = new ArmedHold(key, routeShape(key), options.phase ?? 'before-state-change', options.times ?? 1);
    this.#faults.push(hold);
    return hold;
  }

  /** Destroy the socket without a response. */
  drop(route: string, options: FaultOptions = {}) {
    return this.#arm(route, { type: 'drop' }, options);
  }

  /** Remove faults (of one route, or all); held requests are released. */
  clear(route?: string): void {
    const shape = route === undefined ? undefined : routeShape(this.#resolve(route));
    for (const f of this.#faults) if (shape === undefined || f.shape === shape) f.clear();
    this.#faults = this.#faults.filter((f) => !f.cleared);
  }

  /** Faults still armed. */
  armed(): FaultHandle[] {
    return this.#faults.filter((f) => f.active);
  }

  /** Called by the server pipeline at each point of a request; consumes and applies matching faults. */
  async apply(routeKey: string, phase: FaultPhase, req: { method: string; path: string }): Promise<FaultOutcome> {
    const shape = routeShape(routeKey);
    const applied: string[] = [];
    for (const fault of [...this.#faults]) {
      if (fault.shape !== shape || fault.phase !== phase || !fault.active) continue;
      fault.hits++;
      applied.push(fault.describe());
      const a = fault.action;
      if (a.type === 'latency') {
        await new Promise((resolve) => setTimeout(resolve, a.ms));
      } else if (fault instanceof ArmedHold) {
        fault.waiting++;
        fault.caught({ method: req.method, path: req.path, phase });
        await fault.gate;
        fault.waiting--;
      } else if (a.type === 'status') {
        return { type: 'status', status: a.status, retryAfterSeconds: a.retryAfterSeconds, body: a.body, applied };
      } else if (a.type === 'drop') {
        return { type: 'drop', applied };
      }
    }
    this.#faults = this.#faults.filter((f) => f.active || (f instanceof ArmedHold && f.waiting > 0));
    return { type: 'continue', applied };
  }

  #arm(route: string, action: FaultAction, options: FaultOptions): FaultHandle {
    const key = this.#resolve(route);
    const fault = new ArmedFault(
      key,
      routeShape(key),
      action,
      options.phase ?? 'before-state-change',
      options.times ?? 1,
    );
    if (typeof fault.times === 'number' && (!Number.isInteger(fault.times) || fault.times < 1))
      throw new Error(`fault times must be a positive integer or 'always', got ${fault.times}`);
    this.#faults.push(fault);
    return fault;
  }

  #resolve(route: string): string {
    const key = this.#routes.get(routeShape(route));
    if (key === undefined) throw new Error(`unknown route "${route}"; known: ${[...this.#routes.values()].join(', ')}`);
    return key;
  }
}
