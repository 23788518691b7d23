// The audit log: what every request asked, what the simulator answered (or that it dropped the connection),
// which credentials changed, and which credentials were valid right after. Tests read it to assert the
// invariants a rotation must keep ("never two creates", "the old key revoked exactly once", "at least one
// valid credential at every instant"). Everything in it is already redacted: no secret ever enters the log.

/**
 * The credentials a rotation manages: a Prisma connection (its connection string) or a Deepgram API key; and
 * the pet store simulator's login sessions (the pet-purchase example's token).
 */
export type CredentialKind = 'connection' | 'api-key' | 'session';

/** A credential by id, never by secret; `scope` is the database or project it belongs to. */
export interface CredentialRef {
  kind: CredentialKind;
  id: string;
  scope: string;
}

/** A state change caused by one request (or a seed). `rotated`: same id, new secret, old secret revoked. */
export interface StateEvent extends CredentialRef {
  type: 'created' | 'revoked' | 'rotated';
}

export interface AuditRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export interface AuditResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface AuditEntry {
  /**
   * Monotonic, 1-based. An entry is appended when its request changes (or, for a request answered or dropped
   * before any state change, ends without changing) the state, so `seq` orders state changes as they happened;
   * `response`/`outcome` are filled in when the response is sent or the connection dropped.
   */
  seq: number;
  /** ISO timestamp of the append. */
  at: string;
  source: 'http' | 'seed';
  /** The route key that matched, e.g. `POST /v1/databases/:databaseId/connections`. */
  route?: string;
  request?: AuditRequest;
  /** `null` when the connection was dropped; absent while `pending`. */
  response?: AuditResponse | null;
  /** `pending`: the state changed, the response has not been sent yet (e.g. held after the state change). */
  outcome: 'pending' | 'responded' | 'dropped' | 'seeded';
  /** Faults that fired on this request, e.g. `hold @after-state-change`. */
  faults: string[];
  /** The credential (by id) that authenticated the request, if any. */
  authenticatedAs?: string;
  events: StateEvent[];
  /** Valid credentials right after this entry's state change (or when it ended, if it changed nothing). */
  validCredentials: CredentialRef[];
}

interface Snapshot {
  seq: number;
  valid: CredentialRef[];
}

export class AuditLog {
  readonly #entries: AuditEntry[] = [];
  // Every state the credential set has been in, in order of the change (not of response completion):
  // a held response may complete long after a later request changed the state again.
  readonly #timeline: Snapshot[] = [];
  #changes = 0;

  get entries(): readonly AuditEntry[] {
    return this.#entries;
  }

  /** Called by the simulator synchronously after each state change, with the new valid set. */
  recordState(valid: CredentialRef[]): void {
    this.#timeline.push({ seq: ++this.#changes, valid: valid.map((c) => ({ ...c })) });
  }

  append(entry: Omit<AuditEntry, 'seq' | 'at'>): AuditEntry {
    const full: AuditEntry = { seq: this.#entries.length + 1, at: new Date().toISOString(), ...entry };
    this.#entries.push(full);
    return full;
  }

  /** Credentials created (through the API; `includeSeeds` to count seeded ones) of a kind, optionally in one scope. */
  createdCount(kind: CredentialKind, options: { scope?: string; includeSeeds?: boolean } = {}): number {
    return this.#events(options.includeSeeds ?? false).filter(
      (e) => e.type === 'created' && e.kind === kind && (options.scope === undefined || e.scope === options.scope),
    ).length;
  }

  /** The entries that revoked credential `id` (a delete; a rotation is reported by `rotations`). */
  revocations(id: string): AuditEntry[] {
    return this.#entries.filter((e) => e.events.some((ev) => ev.type === 'revoked' && ev.id === id));
  }

  rotations(id: string): AuditEntry[] {
    return this.#entries.filter((e) => e.events.some((ev) => ev.type === 'rotated' && ev.id === id));
  }

  /**
   * The fewest valid credentials of a scope at any instant since that scope first had one (per scope, then
   * the minimum over scopes when `scope` is omitted). A safe rotation keeps this at >= 1.
   */
  minValidCredentialsAtAnyInstant(options: { scope?: string; kind?: CredentialKind } = {}): number {
    const scopes = new Set<string>();
    for (const s of this.#timeline) for (const c of s.valid) scopes.add(c.scope);
    if (options.scope !== undefined) scopes.add(options.scope);
    let min = Number.POSITIVE_INFINITY;
    for (const scope of scopes) {
      let seen = false;
      for (const snap of this.#timeline) {
        const n = snap.valid.filter(
          (c) => c.scope === scope && (options.kind === undefined || c.kind === options.kind),
        ).length;
        if (n > 0) seen = true;
        if (seen) min = Math.min(min, n);
      }
      if (!seen) min = 0;
    }
    return min === Number.POSITIVE_INFINITY ? 0 : min;
  }

  /** Entries for one route key (any parameter names), e.g. `DELETE /v1/connections/:id`. */
  forRoute(routeKey: string): AuditEntry[] {
    const norm = (k: string) => k.replace(/:[^/]+/g, ':');
    return this.#entries.filter((e) => e.route !== undefined && norm(e.route) === norm(routeKey));
  }

  #events(includeSeeds: boolean): StateEvent[] {
    return this.#entries.filter((e) => includeSeeds || e.source === 'http').flatMap((e) => e.events);
  }
}
