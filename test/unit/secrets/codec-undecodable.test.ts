// A signal or update the worker cannot decrypt: only their inputs are replaced (a placeholder the
// signal handler recognises; an encoding the SDK refuses for updates), on the SDK's own
// WorkflowCodecRunner; workflow inputs and activity results still fail the task.
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { WorkflowCodecRunner } from '@temporalio/worker/lib/workflow-codec-runner.js';
import { describe, expect, it } from 'vitest';
import { createDataConverter } from '../../../src/codec/data-converter.js';
import { EncryptionCodec, UndecodablePayloadError } from '../../../src/codec/encryption-codec.js';
import { newKey } from '../../../src/codec/keys.js';
import { isUndecodable } from '../../../src/codec/undecodable.js';
import { replaceUndecodableMessageInputs, UNDECODABLE_ENCODING } from '../../../src/codec/undecodable-messages.js';

const text = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString();
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;
const value = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const garbage = (keyId: string): Payload => ({
  metadata: { encoding: Buffer.from('binary/encrypted'), 'encryption-key-id': Buffer.from(keyId) },
  data: Buffer.alloc(64, 7),
});

describe('undecodable signals and updates', () => {
  const a = newKey('a');
  const codec = new EncryptionCodec([a]);

  it('only signal and update inputs are replaced; decodable ones are decrypted', async () => {
    const [good] = await codec.encode([payload({ stepId: 's', by: 'alice' })]);
    const plain = payload({ from: 'the temporal CLI without a codec' });
    const activation = {
      jobs: [
        { signalWorkflow: { signalName: 'approve', input: [garbage('k9'), good, plain] } },
        { doUpdate: { name: 'approve', id: 'u1', input: [garbage('a')] } },
        { initializeWorkflow: { arguments: [garbage('k9')] } },
        { resolveActivity: { seq: 1, result: { completed: { result: garbage('k9') } } } },
      ],
    };
    const replaced = replaceUndecodableMessageInputs(activation, codec);
    expect(replaced.map((r) => [r.kind, r.name])).toEqual([
      ['signal', 'approve'],
      ['update', 'approve'],
    ]);
    const [signalArg, goodArg, plainArg] = activation.jobs[0].signalWorkflow!.input.map(value);
    expect(signalArg).toEqual({ $undecodable: 'payload encrypted with unknown codec key id "k9" (have: a)' });
    expect(isUndecodable(signalArg)).toBe(true);
    expect(goodArg).toEqual({ stepId: 's', by: 'alice' });
    expect(plainArg).toEqual({ from: 'the temporal CLI without a codec' });
    expect(isUndecodable(goodArg)).toBe(false);
    expect(isUndecodable({ $undecodable: 'x', stepId: 's' })).toBe(false);
    const updateArg = activation.jobs[1].doUpdate!.input[0];
    expect(text(updateArg.metadata!.encoding)).toBe(UNDECODABLE_ENCODING);
    expect(() => value(updateArg)).toThrow(/Unknown encoding/); // the SDK then rejects the update
    // a workflow input and an activity result stay as they were
    expect(activation.jobs[2].initializeWorkflow!.arguments[0]).toEqual(garbage('k9'));
    expect(activation.jobs[3].resolveActivity!.result.completed.result).toEqual(garbage('k9'));
  });

  it("on the SDK's WorkflowCodecRunner: a signal gets the placeholder, an activity result still fails the task", async () => {
    const { payloadCodecs } = createDataConverter([a]); // installs the guard
    const runner = new WorkflowCodecRunner(payloadCodecs!, { type: 'workflow', namespace: 'n', workflowId: 'w' });
    const decoded = await runner.decodeActivation({
      runId: 'r',
      jobs: [{ signalWorkflow: { signalName: 'approve', input: [garbage('k9')] } }],
    });
    expect(value(decoded.jobs![0].signalWorkflow!.input![0] as Payload)).toEqual({
      $undecodable: 'payload encrypted with unknown codec key id "k9" (have: a)',
    });
    await expect(
      runner.decodeActivation({
        runId: 'r',
        jobs: [{ resolveActivity: { seq: 1, result: { completed: { result: garbage('k9') } } } }],
      }),
    ).rejects.toThrow(UndecodablePayloadError);
    await expect(
      runner.decodeActivation({ runId: 'r', jobs: [{ initializeWorkflow: { arguments: [garbage('k9')] } }] }),
    ).rejects.toThrow(/unknown codec key id "k9"/);
  });
});
