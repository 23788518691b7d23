// The approval policy file: parsed with every mistake at its JSON pointer, and the gates it gives a workflow.
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { gatesFor, parseApprovalPolicy } from '../../../src/arazzo/approvals/policy.js';
import { publicKeyOf } from '../../../src/arazzo/approvals/signature.js';

const key = (byte: number) => publicKeyOf(bytesToHex(new Uint8Array(32).fill(byte)));
const approvers = [
  { name: 'alice', publicKey: key(1), groups: ['security'] },
  { name: 'bob', publicKey: key(2), groups: ['security', 'dba'] },
];

const parse = (doc: unknown) => parseApprovalPolicy(JSON.stringify(doc), 'policy.json');

describe('approval policy', () => {
  it('parses approvers, rules and defaults', () => {
    const policy = parse({
      approvers,
      rules: [{ document: 'rotations/prisma-rotate-connection.arazzo.yaml', group: 'security', quorum: 2 }],
    });
    expect(policy).toMatchObject({
      approvers,
      default: { quorum: 1 },
      requesterMayChangeGates: false,
      unknownRequester: 'refuse',
    });
  });

  it.each([
    ['not JSON', '{', /policy.json: not valid JSON/],
    ['no approvers', { rules: [] }, /policy.json at \/approvers: expected a non-empty list/],
    [
      'a bad key',
      { approvers: [{ name: 'a', publicKey: 'xyz', groups: [] }] },
      /at \/approvers\/0\/publicKey: expected an ed25519 public key/,
    ],
    [
      'a key twice',
      { approvers: [approvers[0], { ...approvers[1], publicKey: key(1) }] },
      /at \/approvers\/1\/publicKey: .* listed twice/,
    ],
    [
      'an unknown group',
      { approvers, rules: [{ document: '*', group: 'ops' }] },
      /at \/rules\/0\/group: no approver is in group "ops"/,
    ],
    [
      'a quorum nobody can reach',
      { approvers, rules: [{ document: '*', group: 'dba', quorum: 2 }] },
      /at \/rules\/0\/quorum: quorum 2 but only 1 approver/,
    ],
    ['an unknown setting', { approvers, allowEverything: true }, /at \/allowEverything: unknown setting/],
  ])('refuses %s at its place', (_name, doc, message) => {
    expect(() => parseApprovalPolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), 'policy.json')).toThrow(
      message,
    );
  });

  it('gates what the document gates, plus the steps a rule names, with the first rule that applies', () => {
    const policy = parse({
      approvers,
      rules: [
        { document: 'arazzo/rotations/x.yaml', steps: ['create'], group: 'dba' },
        { document: 'rotations/x.yaml', group: 'security', quorum: 2 },
      ],
    });
    const steps = [
      { stepId: 'read', gated: false },
      { stepId: 'create', gated: false },
      { stepId: 'revoke', gated: true },
    ];
    expect(gatesFor(policy, 'rotations/x.yaml', steps)).toEqual({
      create: { group: 'dba', quorum: 1 },
      revoke: { group: 'security', quorum: 2 },
    });
    expect(gatesFor(policy, 'rotations/other.yaml', steps)).toEqual({ revoke: { quorum: 1 } });
  });
});
