// The invariants, read from the provider's side (the simulator's audit log and state) and from what is held at the
// end (the sink files, the run's history decoded with the project's data converter), never from the run's own
// account of itself. Secrets are only ever tested against the simulator, never printed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decode } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { getDataConverter } from '../../src/codec/data-converter.js';
import type { AuditEntry } from '../../src/simulators/index.js';
import type { SeededRotation } from './rotations.js';

/** ✔ holds, ✘ broken, – not applicable (e.g. the secret-held check when nothing was revoked), ? not checked. */
export type Verdict = 'ok' | 'fail' | 'na' | 'unknown';

export const INVARIANTS = ['oneCreate', 'revokedOnce', 'neverZero', 'secretHeld', 'notWedged'] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export const INVARIANT_TITLES: Record<InvariantName, string> = {
  oneCreate: '1 one create',
  revokedOnce: '2 revoked ≤1 (=1 if done)',
  neverZero: '3 never zero valid',
  secretHeld: '4 new secret held',
  notWedged: '5 not wedged',
};

export interface InvariantResult {
  verdicts: Record<InvariantName, Verdict>;
  /** Why each broken invariant is broken, and other facts worth a line. */
  findings: string[];
  /** Where the new secret was found (sink / history / nobody). */
  heldBy: string;
}

export interface Ending {
  /** The run reached `completed`. */
  completed: boolean;
  /** Closed, or parked waiting for a person, by the deadline. */
  settled: boolean;
}

export async function checkInvariants(
  r: SeededRotation,
  ending: Ending,
  sinkDir: string,
  handle: WorkflowHandle | undefined,
): Promise<InvariantResult> {
  const { audit } = r.sim;
  const { kind } = r.spec;
  const findings: string[] = [];
  const entries = [...audit.entries].sort((a, b) => a.seq - b.seq);
  const events = (type: string) =>
    entries.flatMap((e) =>
      e.events.filter((ev) => ev.type === type && ev.kind === kind && e.source === 'http').map((ev) => ({ e, ev })),
    );

  // (1) exactly one create.
  const creates = events('created').filter(({ ev }) => ev.scope === r.scope);
  const oneCreate: Verdict = creates.length === 1 ? 'ok' : 'fail';
  if (oneCreate === 'fail')
    findings.push(`${creates.length} creates (${creates.map(({ e }) => `#${e.seq}`).join(', ')})`);

  // (2) the old credential revoked at most once, exactly once if the run completed.
  const revocations = audit.revocations(r.oldId);
  const revokedOnce: Verdict =
    revocations.length <= 1 && (!ending.completed || revocations.length === 1) ? 'ok' : 'fail';
  if (revokedOnce === 'fail') {
    findings.push(
      `old credential revoked ${revocations.length} times${ending.completed ? ' in a completed run' : ''} (${revocations.map((e) => `#${e.seq}`).join(', ')})`,
    );
  }

  // (3) never zero valid credentials: of the rotated ones (the old and whatever this run created), at least one
  // valid after every state change since the old one existed; the new one valid before the old one was revoked;
  // and at the end, the old one still works or a new one is live.
  const createdIds = new Set(creates.map(({ ev }) => ev.id));
  const tracked = new Set([r.oldId, ...createdIds]);
  const start = entries.findIndex((e) => e.events.some((ev) => ev.type === 'created' && ev.id === r.oldId));
  let minValid = Number.POSITIVE_INFINITY;
  let zeroAt: AuditEntry | undefined;
  for (const e of entries.slice(Math.max(0, start))) {
    const n = e.validCredentials.filter((c) => tracked.has(c.id)).length;
    if (n < minValid) {
      minValid = n;
      if (n === 0) zeroAt = e;
    }
  }
  let neverZero: Verdict = minValid >= 1 ? 'ok' : 'fail';
  if (zeroAt) findings.push(`no valid credential after #${zeroAt.seq} (${describeEntry(zeroAt)})`);
  const firstRevoke = revocations[0];
  if (firstRevoke) {
    const validThen = firstRevoke.validCredentials.map((c) => c.id);
    const newBefore = creates.some(({ e, ev }) => e.seq < firstRevoke.seq && validThen.includes(ev.id));
    if (!newBefore) {
      neverZero = 'fail';
      findings.push(`the old credential was revoked (#${firstRevoke.seq}) with no new one valid`);
    }
  }
  const oldWorks = r.oldWorks();
  const newLive = [...createdIds].some((id) => r.active(id));
  if (!oldWorks && !newLive) {
    neverZero = 'fail';
    findings.push('at the end neither the old credential works nor a new one is live');
  }

  // (4) whoever revoked the old credential left the new secret with someone: a sink file, or the run's history.
  const inSink = sinkHolds(r, sinkDir);
  const inHistory = handle ? await historyHolds(r, handle) : false;
  const heldBy = inSink ? 'sink file' : inHistory ? 'run history (encrypted)' : 'nobody';
  let secretHeld: Verdict = 'na';
  if (revocations.length > 0) {
    secretHeld = inSink || inHistory ? 'ok' : 'fail';
    if (secretHeld === 'fail') {
      const liveIds = [...createdIds].filter((id) => r.active(id));
      findings.push(
        `old credential revoked but no one holds a working new secret: no sink file works, no value in the decoded history works (live new credential${liveIds.length === 1 ? '' : 's'}: ${liveIds.join(', ') || 'none'})`,
      );
    }
  }

  // (5) no run wedged.
  const notWedged: Verdict = ending.settled ? 'ok' : 'fail';
  if (notWedged === 'fail') findings.push('neither closed nor parked by the deadline');

  return { verdicts: { oneCreate, revokedOnce, neverZero, secretHeld, notWedged }, findings, heldBy };
}

function sinkHolds(r: SeededRotation, sinkDir: string): boolean {
  for (const name of readdirSync(sinkDir)) {
    let value: string;
    try {
      value = readFileSync(join(sinkDir, name), 'utf8').trim();
    } catch {
      continue;
    }
    if (value && !r.notNew(value) && r.works(value)) return true;
  }
  return false;
}

/** Every payload of the run's history, decoded with the project's data converter; does any string work? */
async function historyHolds(r: SeededRotation, handle: WorkflowHandle): Promise<boolean> {
  const history = await handle.fetchHistory();
  const payloads: Payload[] = [];
  const walk = (value: unknown, depth: number) => {
    if (value === null || typeof value !== 'object' || depth > 64 || value instanceof Uint8Array) return;
    const v = value as Record<string, unknown>;
    if (v.metadata && typeof v.metadata === 'object' && 'encoding' in (v.metadata as object)) {
      payloads.push(v as Payload);
      return;
    }
    for (const child of Array.isArray(value) ? value : Object.values(v)) walk(child, depth + 1);
  };
  walk(history.events, 0);
  const codecs = getDataConverter().payloadCodecs ?? [];
  const strings: string[] = [];
  for (const payload of payloads) {
    try {
      const [decoded] = await decode(codecs, [payload]);
      collectStrings(defaultPayloadConverter.fromPayload(decoded), strings, 0);
    } catch {
      // not ours to read (e.g. binary); nothing secret of ours is there
    }
  }
  return strings.some((s) => !r.notNew(s) && r.works(s));
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object' && depth < 64)
    for (const child of Object.values(value)) collectStrings(child, out, depth + 1);
}

/** One audit entry in a line: no secrets (the log is redacted), ids only. */
export function describeEntry(e: AuditEntry): string {
  if (e.source === 'seed') return `seed: ${e.events.map((ev) => `${ev.type} ${ev.id}`).join(', ')}`;
  const answer = e.outcome === 'dropped' ? 'dropped' : e.outcome === 'pending' ? 'pending' : String(e.response?.status);
  const faults = e.faults.length ? ` [${e.faults.join(', ')}]` : '';
  const changed = e.events.length ? ` ⇒ ${e.events.map((ev) => `${ev.type} ${ev.id}`).join(', ')}` : '';
  return `${e.request?.method} ${e.request?.path} → ${answer}${faults}${changed}`;
}

/** The audit log as lines, with seconds since the first entry. */
export function auditTrail(r: SeededRotation): string[] {
  const entries = [...r.sim.audit.entries].sort((a, b) => a.seq - b.seq);
  const t0 = entries.length ? Date.parse(entries[0].at) : 0;
  return entries.map((e) => `#${e.seq} +${((Date.parse(e.at) - t0) / 1000).toFixed(1)}s ${describeEntry(e)}`);
}

/** After a 429 with Retry-After on `route`: seconds until the next request on it, for the notes. */
export function retryGaps(r: SeededRotation, route: string): string[] {
  const onRoute = r.sim.audit.forRoute(route).sort((a, b) => a.seq - b.seq);
  const notes: string[] = [];
  onRoute.forEach((e, i) => {
    const limited = e.faults.find((f) => f.startsWith('status 429'));
    const next = onRoute[i + 1];
    if (!limited || !next) return;
    const gap = (Date.parse(next.at) - Date.parse(e.at)) / 1000;
    notes.push(`retried ${gap.toFixed(1)} s after the 429 (Retry-After: ${e.response?.headers['retry-after']})`);
  });
  return notes;
}
