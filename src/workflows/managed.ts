// A managed credential: one long-running workflow per credential that rotates it on a schedule and carries
// the new identifiers forward. Each rotation is a child run of the interpreter (`arazzoRun`) with the
// credential's current inputs; after a completed one the document's `x-managed` mapping moves the new
// identifiers into place (oldConnectionId ← newConnectionId), so the next rotation revokes what the last one
// created instead of asking for what it already revoked. It holds identifiers and metadata only: secret
// inputs are references, which the rotation reads in its activities.
//
// One rotation at a time, by construction: the loop starts a rotation and awaits it before anything else;
// a rotate-now meanwhile is refused or queued (`onBusy`). Each rotation still takes the per-credential lock,
// so a standalone run on the same credential (`start`, `temporal workflow start`) waits for it, and it for
// them. A failed or rejected rotation leaves the current credential and is tried again after a back-off.
// A cancel request is refused (retire is how a credential stops being managed); continue-as-new happens
// between rotations and carries the one record.
import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  type SignalDefinition,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { type UpdateDefinition, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { carryForward, rotationInputs } from '../arazzo/managed/managed-spec.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';
import { isSecretSchema } from '../arazzo/secrets/mask.js';
import type { ArazzoActivities } from '../activities/index.js';
import { ArazzoState, ArazzoWorkflowId, nonRetryableTypes, WORKFLOW_TYPE } from './contract.js';
import {
  type ManagedCredentialInput,
  type ManagedRecord,
  type ManagedResult,
  type ManagedState,
  type ManagedView,
  managedQuery,
  pauseSignal,
  pauseUpdate,
  resumeSignal,
  resumeUpdate,
  retireSignal,
  retireUpdate,
  rotateNowSignal,
  rotateNowUpdate,
  type RotationRecord,
  rotationWorkflowId,
} from './managed-contract.js';
import { type Schedule, scheduleOf } from './managed-schedule.js';
import { durationMs } from './run-options.js';
import type { ArazzoRunResult } from './types.js';

const { loadPlan } = proxyActivities<ArazzoActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30s',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: nonRetryableTypes('loadPlan') },
});

const EVENTS_KEPT = 20;

export async function arazzoManagedCredential(input: ManagedCredentialInput): Promise<ManagedResult> {
  const credential = new ManagedCredential(input, input.resume ?? (await firstRecord(input)));
  credential.register();
  return CancellationScope.nonCancellable(() => credential.run());
}

/** The record of a newly managed credential: the document checked once (loadPlan), its x-managed read. */
async function firstRecord(input: ManagedCredentialInput): Promise<ManagedRecord> {
  const { document, workflowId, servers, deliver, strict, preflight, inputs = {} } = input.run;
  const loaded = await loadPlan({
    document,
    workflowId,
    inputs,
    servers,
    deliver,
    strict,
    preflight,
    lockKey: input.run.lock?.key,
  });
  const workflow = loaded.plan.workflows[loaded.plan.workflowId];
  const refuse = (message: string) => {
    throw ApplicationFailure.create({ type: 'InvalidInputs', message, nonRetryable: true });
  };
  if (!workflow.managed) {
    refuse(
      `${document} (${workflow.workflowId}) declares no x-managed mapping: a managed credential would rotate the same inputs again, which the first rotation revoked`,
    );
  }
  const properties = (workflow.inputs as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const [name, schema] of Object.entries(properties)) {
    if (isSecretSchema(name, schema) && inputs[name] !== undefined && !isSecretRef(inputs[name])) {
      refuse(
        `the secret input "${name}" must be given as a reference ({"$secret": "env:NAME"} or "file:NAME"): a managed credential keeps its inputs for as long as it lives`,
      );
    }
  }
  const spec = workflow.managed!;
  const base = Object.fromEntries(spec.perRotation.map((name) => [name, inputs[name]]));
  const firstDue = input.firstDueAt ?? new Date(scheduleOf(input).next(Date.now())).toISOString();
  return {
    inputs: { ...inputs },
    base,
    spec,
    searchAttributes: loaded.searchAttributes,
    state: 'scheduled',
    nextDueAt: firstDue,
    started: 0,
    completed: 0,
    failuresInRow: 0,
    history: [],
    historyDropped: 0,
    events: [],
  };
}

class ManagedCredential {
  private readonly schedule: Schedule;
  private readonly retryInitialMs: number;
  private readonly retryMaximumMs: number;
  private readonly onBusy: 'refuse' | 'queue';
  /** Bumped by every message that changes what the loop should do next. */
  private changes = 0;

  constructor(
    private readonly input: ManagedCredentialInput,
    private readonly record: ManagedRecord,
  ) {
    this.schedule = scheduleOf(input);
    this.retryInitialMs = durationMs(input.retry?.initial ?? '1m');
    const maximum = input.retry?.maximum ? durationMs(input.retry.maximum) : this.schedule.periodMs;
    this.retryMaximumMs = Math.min(maximum, this.schedule.periodMs);
    this.onBusy = input.onBusy ?? 'refuse';
  }

  register() {
    setHandler(managedQuery, () => this.view());
    this.message(rotateNowSignal, rotateNowUpdate, 'rotate-now', (args) => this.rotateNow(args.by, args.reason));
    this.message(pauseSignal, pauseUpdate, 'pause', (args) => this.pause(args.by, args.reason));
    this.message(resumeSignal, resumeUpdate, 'resume', (args) => this.resume(args.by));
    this.message(retireSignal, retireUpdate, 'retire', (args) => this.retire(args.by, args.reason));
    // A cancel request would stop the schedule behind everyone's back (and, before, end a rotation
    // half-way): refused, and said so. `retire` is how a credential stops being managed.
    CancellationScope.current().cancelRequested.catch(() => {
      this.note('cancel request refused: retire the managed credential instead (managed retire)');
      log.warn('cancel request refused: a managed credential ends only by retire');
    });
  }

  /**
   * One message as a signal and as an update: `decide` returns what was done, or throws a refusal. The
   * update's validator asks the same question without changing anything; the signal records a refusal.
   */
  private message<A extends { by: string; reason?: string }>(
    signal: SignalDefinition<[A]>,
    update: UpdateDefinition<string, [A]>,
    name: string,
    decide: (args: A) => string,
  ) {
    setHandler(signal, (args: A) => {
      try {
        this.act(() => decide(args));
      } catch (err) {
        this.note(`${name} refused: ${(err as Error).message}`, args?.by);
      }
    });
    setHandler(update, (args: A) => this.act(() => decide(args)), {
      validator: (args: A) => {
        if (typeof args?.by !== 'string' || !args.by) throw new Error(`${name} needs "by": who asks`);
        this.refusal(name);
      },
    });
  }

  private act(decide: () => string): string {
    const done = decide();
    this.changes += 1;
    this.publish();
    return done;
  }

  /** The update validators: the same conditions as the handlers, without changing anything. */
  private refusal(name: string) {
    const r = this.record;
    if (r.retired) throw new Error(`retired by ${r.retired.by} at ${r.retired.at}`);
    if (name === 'rotate-now') {
      if (r.paused) throw new Error(`paused by ${r.paused.by}: resume it first`);
      if (r.current && this.onBusy === 'refuse') {
        throw new Error(
          `rotation ${r.current.number} (${r.current.workflowId}) is running; one rotation at a time (onBusy: refuse)`,
        );
      }
      if (r.current && r.queued) throw new Error(`a rotate-now by ${r.queued.by} is already queued`);
    }
    if (name === 'pause' && r.paused) throw new Error(`already paused by ${r.paused.by}`);
    if (name === 'resume' && !r.paused) throw new Error('not paused');
  }

  private rotateNow(by: string, reason?: string): string {
    this.refusal('rotate-now');
    const r = this.record;
    r.queued = { by, at: now() };
    const what = r.current
      ? `rotate-now queued: starts when rotation ${r.current.number} ends`
      : `rotate-now: rotation ${r.started + 1} starts now`;
    this.note(reason ? `${what} (${reason})` : what, by);
    return what;
  }

  private pause(by: string, reason?: string): string {
    this.refusal('pause');
    this.record.paused = { by, reason, at: now() };
    const what = this.record.current
      ? `paused: rotation ${this.record.current.number} goes on, no new rotation starts until resumed`
      : 'paused: no rotation starts until resumed';
    this.note(what, by);
    return what;
  }

  private resume(by: string): string {
    this.refusal('resume');
    this.record.paused = undefined;
    const what = `resumed: next rotation due ${this.record.nextDueAt}`;
    this.note(what, by);
    return what;
  }

  private retire(by: string, reason?: string): string {
    this.refusal('retire');
    this.record.retired = { by, reason, at: now() };
    const what = this.record.current
      ? `retired: rotation ${this.record.current.number} finishes, then the credential is no longer managed`
      : 'retired: the credential is no longer managed';
    this.note(what, by);
    return what;
  }

  async run(): Promise<ManagedResult> {
    this.publish();
    const r = this.record;
    for (;;) {
      this.setState();
      if (r.retired) break;
      const due = !r.paused && r.nextDueAt !== undefined && Date.now() >= Date.parse(r.nextDueAt);
      if (r.queued && !r.paused) {
        const { by } = r.queued;
        r.queued = undefined;
        await this.rotate('rotate-now', by);
        continue;
      }
      if (due) {
        await this.rotate(r.failuresInRow > 0 ? 'retry' : 'schedule');
        continue;
      }
      await this.continueAsNewIfDue();
      const seen = this.changes;
      const waitMs = r.paused || !r.nextDueAt ? undefined : Math.max(0, Date.parse(r.nextDueAt) - Date.now());
      if (waitMs === undefined) await condition(() => this.changes !== seen);
      else await condition(() => this.changes !== seen, waitMs);
    }
    this.setState();
    return { state: r.state, completed: r.completed, history: r.history, inputs: r.inputs };
  }

  /** One rotation: a child run with the current inputs; its outcome moves the credential forward or backs off. */
  private async rotate(trigger: RotationRecord['trigger'], by?: string) {
    const r = this.record;
    r.started += 1;
    const n = r.started;
    const workflowId = rotationWorkflowId(workflowInfo().workflowId, n);
    const rotation: RotationRecord = { number: n, workflowId, trigger, by, startedAt: now(), status: 'running' };
    r.current = rotation;
    this.setState();
    let result: ArazzoRunResult | undefined;
    try {
      result = await executeChild(WORKFLOW_TYPE, {
        workflowId,
        args: [{ ...this.input.run, inputs: rotationInputs(r.inputs, r.base, r.spec, n) }],
        // The rotation finishes on its own if this workflow is ever terminated: never a half-done rotation.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `rotation ${n} of ${workflowInfo().workflowId} (${trigger}${by ? ` by ${by}` : ''})`,
      });
    } catch (err) {
      rotation.status = 'failed';
      rotation.message =
        err instanceof WorkflowExecutionAlreadyStartedError
          ? `${workflowId} is still running (started by an earlier run of this managed credential that was terminated); no second rotation was started`
          : failureText(err);
    }
    rotation.endedAt = now();
    if (result) {
      rotation.status = result.status;
      rotation.approvedBy = result.approvals.filter((a) => a.decision === 'approved').map((a) => a.by ?? '?');
      if (result.message) rotation.message = result.message;
    }
    if (result?.status === 'completed') {
      const carried = carryForward(r.inputs, result.outputs, r.spec);
      if (carried.ok) {
        r.inputs = carried.inputs;
        rotation.carried = carried.carried;
        r.completed += 1;
        r.failuresInRow = 0;
        r.nextDueAt = new Date(this.schedule.next(Date.now())).toISOString();
      } else {
        // The old credential is revoked and the new id unknown: rotating again would fail the same way.
        rotation.message = carried.message;
        r.paused = {
          by: 'managed credential',
          reason: `${carried.message}; correct the inputs, then resume`,
          at: now(),
        };
      }
    } else {
      r.failuresInRow += 1;
      const delay = Math.min(this.retryMaximumMs, this.retryInitialMs * 2 ** (r.failuresInRow - 1));
      r.nextDueAt = new Date(Date.now() + delay).toISOString();
      rotation.message = `${rotation.message ?? rotation.status}; the current credential stays; next attempt ${r.nextDueAt}`;
    }
    r.current = undefined;
    r.history.push(rotation);
    const limit = this.input.historyLimit ?? 20;
    if (r.history.length > limit) {
      r.historyDropped += r.history.length - limit;
      r.history.splice(0, r.history.length - limit);
    }
    this.publish();
  }

  private async continueAsNewIfDue() {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < (this.input.continueAsNewAfterEvents ?? 2000)) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof arazzoManagedCredential>({ ...this.input, resume: this.record });
  }

  private setState() {
    const r = this.record;
    const state: ManagedState =
      r.retired && !r.current
        ? 'retired'
        : r.current
          ? 'rotating'
          : r.paused
            ? 'paused'
            : r.failuresInRow > 0
              ? 'backing-off'
              : 'scheduled';
    const changed = state !== r.state;
    r.state = state;
    if (changed) this.publish();
    const pairs = [
      { key: ArazzoWorkflowId, value: this.input.run.workflowId ?? '' },
      { key: ArazzoState, value: `managed-${state}` },
    ].filter((p) => r.searchAttributes.includes(p.key.name) && p.value);
    if (changed && pairs.length) upsertSearchAttributes(pairs);
  }

  private note(what: string, by?: string) {
    this.record.events.push({ what, by, at: now() });
    if (this.record.events.length > EVENTS_KEPT) this.record.events.shift();
    this.publish();
  }

  private view(): ManagedView {
    return {
      ...this.record,
      document: this.input.run.document,
      workflowId: this.input.run.workflowId,
      every: this.input.every,
      cron: this.input.cron,
      onBusy: this.onBusy,
    };
  }

  /** The Web UI's "Current details": state, next due time, current identifiers, the last rotations. */
  private publish() {
    const r = this.record;
    const lines = [
      `**managed credential** ${this.input.run.document}: ${this.schedule.describe}, ${r.state}`,
      r.current
        ? `rotation ${r.current.number} running: \`${r.current.workflowId}\``
        : `next rotation due ${r.nextDueAt ?? '-'}`,
      r.paused ? `paused by ${r.paused.by}${r.paused.reason ? `: ${r.paused.reason}` : ''}` : '',
      `current: ${Object.entries(
        r.spec.carry.length ? Object.fromEntries(r.spec.carry.map((c) => [c.input, r.inputs[c.input]])) : {},
      )
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join(', ')}`,
      `rotations: ${r.completed} completed of ${r.started}`,
      ...r.history
        .slice(-5)
        .map((h) => `- ${h.number} ${h.status} ${h.endedAt ?? ''}${h.message ? `: ${h.message}` : ''}`),
    ];
    setCurrentDetails(lines.filter(Boolean).join('\n\n'));
  }
}

function now(): string {
  return new Date(Date.now()).toISOString();
}

function failureText(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; cause?: { message?: string } } };
  return e?.cause?.cause?.message ?? e?.cause?.message ?? e?.message ?? String(err);
}
