// Signed decisions, pure: what a signature binds, and every way checkSignedDecision refuses one.
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { RunApprovalPolicy } from '../../../src/arazzo/approvals/settings.js';
import {
  type DecisionStatement,
  keyFingerprint,
  publicKeyOf,
  requestDigest,
  signDecision,
  verifySignature,
} from '../../../src/arazzo/approvals/signature.js';
import { checkSignedDecision, type WaitingApproval } from '../../../src/arazzo/approvals/verify-decision.js';

// Fixed secret keys: the test is the same on every run.
const secret = (byte: number) => bytesToHex(new Uint8Array(32).fill(byte));
const alice = secret(1);
const bob = secret(2);
const carol = secret(3);
const mallory = secret(4);

const policy: RunApprovalPolicy = {
  approvers: [
    { name: 'alice', publicKey: publicKeyOf(alice), groups: ['security'] },
    { name: 'bob', publicKey: publicKeyOf(bob), groups: ['security'] },
    { name: 'carol', publicKey: publicKeyOf(carol), groups: ['dev'] },
  ],
  gates: { w: { revoke: { group: 'security', quorum: 2 } } },
  requester: { name: 'carol', fingerprint: keyFingerprint(publicKeyOf(carol)) },
};

const waiting: WaitingApproval = {
  namespace: 'default',
  workflowId: 'rotate-1',
  runId: 'run-1',
  stepId: 'revoke',
  approvalId: 'ap-1',
  method: 'DELETE',
  url: 'http://127.0.0.1:4010/v1/connections/c1',
  requirement: { group: 'security', quorum: 2 },
  approvedBy: [],
};

function statement(over: Partial<DecisionStatement> = {}): DecisionStatement {
  return {
    namespace: 'default',
    workflowId: 'rotate-1',
    runId: 'run-1',
    stepId: 'revoke',
    approvalId: 'ap-1',
    decision: 'approve',
    requestDigest: requestDigest('DELETE', 'http://127.0.0.1:4010/v1/connections/c1'),
    signedAt: '2026-11-30T10:00:00.000Z',
    ...over,
  };
}

const check = (
  signed: ReturnType<typeof signDecision> | undefined,
  kind: 'approve' | 'reject' = 'approve',
  w = waiting,
) => checkSignedDecision(policy, w, kind, signed, verifySignature);

describe('signed decisions', () => {
  it('accepts a decision signed by a member of the group, as the verified approver', () => {
    expect(check(signDecision(statement(), alice))).toEqual({
      ok: true,
      identity: { name: 'alice', group: 'security', fingerprint: keyFingerprint(publicKeyOf(alice)) },
    });
  });

  it('refuses each forgery with its reason', () => {
    const good = signDecision(statement(), alice);
    const cases: Array<[string, ReturnType<typeof signDecision> | undefined, RegExp]> = [
      ['unsigned', undefined, /requires a signed approve/],
      ['unknown key', signDecision(statement(), mallory), /unknown key ed25519:/],
      [
        'wrong key (claims alice, signed by bob)',
        { ...signDecision(statement(), bob), publicKey: good.publicKey },
        /bad signature/,
      ],
      ['tampered statement', { ...good, statement: { ...good.statement, approvalId: 'ap-1 ' } }, /bad signature/],
      ['another run', signDecision(statement({ runId: 'run-0' }), alice), /signed for another run/],
      ['another workflow id', signDecision(statement({ workflowId: 'rotate-2' }), alice), /signed for another run/],
      ['another step', signDecision(statement({ stepId: 'create' }), alice), /signed for step create/],
      ['a previous approval id', signDecision(statement({ approvalId: 'ap-0' }), alice), /not the current one/],
      ['a reject sent as approve', signDecision(statement({ decision: 'reject' }), alice), /signed as "reject"/],
      [
        'another request',
        signDecision(
          statement({ requestDigest: requestDigest('DELETE', 'http://127.0.0.1:4010/v1/connections/c2') }),
          alice,
        ),
        /different request/,
      ],
      ['wrong group', signDecision(statement(), carol), /carol is not in group "security"/],
    ];
    for (const [name, signed, reason] of cases) {
      const result = check(signed);
      expect({ name, ok: result.ok }).toEqual({ name, ok: false });
      if (!result.ok)
        expect({ name, problem: result.problem }).toEqual({ name, problem: expect.stringMatching(reason) });
    }
  });

  it('refuses the requester approving their own run, and the same approver twice', () => {
    const requesterPolicy = {
      ...policy,
      requester: { name: 'alice', fingerprint: keyFingerprint(publicKeyOf(alice)) },
    };
    const own = checkSignedDecision(
      requesterPolicy,
      waiting,
      'approve',
      signDecision(statement(), alice),
      verifySignature,
    );
    expect(own).toEqual({ ok: false, problem: expect.stringMatching(/alice started this run and may not approve it/) });
    const again = check(signDecision(statement(), alice), 'approve', {
      ...waiting,
      approvedBy: [keyFingerprint(publicKeyOf(alice))],
    });
    expect(again).toEqual({ ok: false, problem: 'alice already approved revoke' });
  });

  it('lets the requester reject (it only stops the destructive request)', () => {
    const requesterPolicy = {
      ...policy,
      requester: { name: 'alice', fingerprint: keyFingerprint(publicKeyOf(alice)) },
    };
    const signed = signDecision(statement({ decision: 'reject' }), alice);
    expect(checkSignedDecision(requesterPolicy, waiting, 'reject', signed, verifySignature).ok).toBe(true);
  });

  it('verifySignature is false for malformed input instead of throwing', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(verifySignature(bytes, 'zz', publicKeyOf(alice))).toBe(false);
    expect(verifySignature(bytes, 'a'.repeat(128), 'b'.repeat(64))).toBe(false);
    expect(verifySignature(bytes, undefined, undefined)).toBe(false);
  });
});
