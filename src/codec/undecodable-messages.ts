// A signal or update the worker cannot decrypt must not wedge its run.
//
// What the TypeScript SDK 1.24 does by itself: the worker decodes every payload of a workflow
// activation before the workflow sees it (WorkflowCodecRunner.decodeActivation, outside the sandbox).
// If the codec throws for one payload, the whole activation fails, so the workflow task fails; the
// signal is in history, every retry of the task meets it again, and the run can neither progress
// nor answer a query until it is reset or terminated. A signal cannot be refused: the server records
// it before any worker sees it. An update whose input fails to decode fails the task the same way.
//
// So, for the inputs of signals and updates ONLY, a payload our EncryptionCodec cannot decrypt
// (unknown key id after looking at the key source again, garbage, altered bytes) is replaced before
// the SDK decodes the activation:
//   - a signal's argument becomes the JSON value {"$undecodable": "<reason>"} (a `json/plain`
//     payload): its handler runs, and the validator records it as ignored;
//   - an update's argument becomes a payload of encoding `binary/undecodable`, which no payload
//     converter reads: the SDK rejects the update before accepting it (nothing in history), whatever
//     the handler's validator says.
// Workflow inputs, activity and child results, memos and failures are NOT touched: for them an
// undecodable payload still fails the workflow task, which is retried and recovers as soon as the
// key reaches the worker (a placeholder there would be data the run acts on).
//
// Determinism: the replacement depends on the keys the worker has. Garbage and altered bytes stay
// undecodable forever. A signal ignored because its key was unknown decodes on replay if that key is
// added later; the run then takes another path than its history (a non-determinism error on the next
// replay). Two-phase rotation avoids it: a key is added everywhere before anything encrypts with it.
//
// The SDK offers no hook between the server's activation and its decoding, so this wraps
// WorkflowCodecRunner.prototype.decodeActivation (process-wide, once). It only acts when the runner's
// outermost codec (the last one, which decodes first) is an EncryptionCodec; other workers in the
// process are unaffected. installUndecodableMessageGuard() fails loudly if the SDK's class changed.
import type { Payload } from '@temporalio/common';
import { WorkflowCodecRunner } from '@temporalio/worker/lib/workflow-codec-runner.js';
import { EncryptionCodec, UndecodablePayloadError } from './encryption-codec.js';
import { UNDECODABLE } from './undecodable.js';

export { isUndecodable, UNDECODABLE, type UndecodableMessage } from './undecodable.js';

/** Encoding of an update argument that could not be decrypted: no payload converter reads it. */
export const UNDECODABLE_ENCODING = 'binary/undecodable';
/** Metadata on both replacements, for anyone reading the activation or logs. */
export const UNDECODABLE_METADATA = 'arazzo-undecodable';

const utf8 = (s: string) => new TextEncoder().encode(s);

export function signalPlaceholder(reason: string): Payload {
  return {
    metadata: { encoding: utf8('json/plain'), [UNDECODABLE_METADATA]: utf8('1') },
    data: utf8(JSON.stringify({ [UNDECODABLE]: reason })),
  };
}

export function updatePlaceholder(reason: string): Payload {
  return {
    metadata: { encoding: utf8(UNDECODABLE_ENCODING), [UNDECODABLE_METADATA]: utf8('1') },
    data: utf8(reason),
  };
}

interface MessageJob {
  signalWorkflow?: { signalName?: string | null; input?: Payload[] | null } | null;
  doUpdate?: { name?: string | null; id?: string | null; input?: Payload[] | null } | null;
}

interface RunnerInternals {
  codecs?: unknown;
  workflowContext?: { workflowId?: string };
}

/** Through the worker runtime's logger (this only runs inside a worker, so the package is loaded). */
async function warn(message: string) {
  try {
    const { Runtime } = await import('@temporalio/worker');
    Runtime.instance().logger.warn(message);
  } catch {
    console.warn(message);
  }
}

/**
 * Replaces, in place, each signal or update input payload `codec` cannot decrypt, and decrypts the
 * others (the SDK's own decoding then passes them through). Returns what it replaced.
 */
export function replaceUndecodableMessageInputs(
  activation: { jobs?: MessageJob[] | null },
  codec: EncryptionCodec,
): Array<{ kind: 'signal' | 'update'; name: string; reason: string }> {
  const replaced: Array<{ kind: 'signal' | 'update'; name: string; reason: string }> = [];
  for (const job of activation.jobs ?? []) {
    const message = job.signalWorkflow
      ? { kind: 'signal' as const, name: job.signalWorkflow.signalName ?? '', holder: job.signalWorkflow }
      : job.doUpdate
        ? { kind: 'update' as const, name: job.doUpdate.name ?? '', holder: job.doUpdate }
        : undefined;
    if (!message?.holder.input?.length) continue;
    message.holder.input = message.holder.input.map((payload) => {
      try {
        return codec.decryptOne(payload);
      } catch (err) {
        if (!(err instanceof UndecodablePayloadError)) throw err;
        replaced.push({ kind: message.kind, name: message.name, reason: err.reason });
        return message.kind === 'signal' ? signalPlaceholder(err.reason) : updatePlaceholder(err.reason);
      }
    });
  }
  return replaced;
}

const INSTALLED = Symbol.for('arazzo-temporal.undecodable-message-guard');

/** Idempotent. Called by createDataConverter(), so every worker with an encryption codec has it. */
export function installUndecodableMessageGuard(): void {
  const proto = WorkflowCodecRunner?.prototype as unknown as Record<PropertyKey, unknown> | undefined;
  const original = proto?.decodeActivation;
  if (typeof original !== 'function') {
    throw new Error('@temporalio/worker changed: WorkflowCodecRunner.prototype.decodeActivation is gone');
  }
  if (proto![INSTALLED]) return;
  proto![INSTALLED] = true;
  proto!.decodeActivation = async function decodeActivation(this: RunnerInternals, activation: MessageJob) {
    const codecs = Array.isArray(this.codecs) ? this.codecs : [];
    const outermost = codecs[codecs.length - 1];
    if (outermost instanceof EncryptionCodec) {
      const replaced = replaceUndecodableMessageInputs(activation as { jobs?: MessageJob[] }, outermost);
      for (const r of replaced) {
        await warn(
          `undecodable ${r.kind} "${r.name}" for workflow ${this.workflowContext?.workflowId ?? '?'}: ${r.reason}; ` +
            (r.kind === 'signal' ? `delivered to its handler as {"${UNDECODABLE}": reason}` : 'the update is rejected'),
        );
      }
    }
    return (original as (a: unknown) => Promise<unknown>).call(this, activation);
  };
}
