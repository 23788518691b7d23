// The Web UI's "Current details" for a pending approval: without a policy it says plainly that
// approvals are not authenticated and offers the signal; under a policy it says who must approve,
// who has (verified name, group, key fingerprint), how many are still needed, and the signed commands.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UNAUTHENTICATED_NOTICE } from '../../../src/arazzo/approvals/settings.js';
import { approveCommand, rejectCommand, renderDetails } from '../../../src/workflows/details.js';
import type { PendingApproval, RunProgress } from '../../../src/workflows/types.js';

const base: PendingApproval = {
  approvalId: 'ap-1',
  stepId: 'revoke',
  method: 'DELETE',
  url: 'http://127.0.0.1:4010/v1/connections/c1',
  target: {},
  requestedAt: '2026-11-30T10:00:00.000Z',
  expiresAt: '2026-12-07T10:00:00.000Z',
};

function progress(pending: PendingApproval, more: Partial<RunProgress> = {}): RunProgress {
  return {
    state: 'awaiting-approval',
    document: 'rotations/x.yaml',
    workflowId: 'rotate',
    steps: [],
    pendingApproval: pending,
    approvals: [],
    ignored: [],
    outputs: {},
    ...more,
  };
}

describe('current details of a pending approval', () => {
  it('without a policy: not authenticated, said plainly, with the signal command', () => {
    const text = renderDetails(progress({ ...base, authenticated: false, notice: UNAUTHENTICATED_NOTICE }), 'run-1');
    expect(text).toContain(`⚠ ${UNAUTHENTICATED_NOTICE}`);
    expect(text).toContain('temporal workflow signal --workflow-id run-1 --name approve');
    expect(text).not.toContain('--key');
  });

  it('under a policy: who must approve, who has, how many are still needed, the signed commands, the requester', () => {
    const pending: PendingApproval = {
      ...base,
      authenticated: true,
      runId: 'r-1',
      requestDigest: 'abc123',
      required: { group: 'security', quorum: 2 },
      approvals: [
        { name: 'bob', group: 'security', fingerprint: 'ed25519:00112233aabbccdd', at: '2026-11-30T10:05:00.000Z' },
      ],
    };
    const text = renderDetails(
      progress(pending, {
        requester: 'alice (ed25519:ffeeddccbbaa9988)',
        approvals: [
          {
            stepId: 'revoke',
            approvalId: 'ap-1',
            decision: 'approved',
            by: 'bob',
            at: '2026-11-30T10:05:00.000Z',
            via: 'update',
            authenticated: true,
            group: 'security',
            fingerprint: 'ed25519:00112233aabbccdd',
          },
        ],
      }),
      'run-1',
    );
    expect(text).toContain('Needs 2 signed approvals from group "security": 1 given, 1 still needed.');
    expect(text).toContain('Approved by bob (group security, key ed25519:00112233aabbccdd)');
    expect(text).toContain('npx arazzo-temporal approve run-1 --step revoke --key <your key file>');
    expect(text).toContain('Requested by alice (ed25519:ffeeddccbbaa9988)');
    expect(text).toContain('approved revoke by bob (verified: group security, key ed25519:00112233aabbccdd)');
    expect(text).not.toContain('temporal workflow signal');
    expect(text).not.toContain('NOT authenticated');
  });
});

// The commands the details and the webhooks print are pasted by whoever decides: they must work as
// pasted (no placeholder to edit), and record the paster's login name.
describe('decision commands printed for pasting', () => {
  /** What the signal's --input argument is after the shell has read the command. */
  function inputAsTheShellReadsIt(command: string, user: string): unknown {
    const word = command.slice(command.indexOf('--input ') + '--input '.length);
    const printed = execFileSync('bash', ['-c', `printf %s ${word}`], { env: { PATH: process.env.PATH, USER: user } });
    return JSON.parse(printed.toString('utf8'));
  }

  it('the details offer our CLI first (its --by defaults to the login name), then the signal', () => {
    const text = renderDetails(progress({ ...base, authenticated: false, notice: UNAUTHENTICATED_NOTICE }), 'run-1');
    expect(text).toContain('npx arazzo-temporal approve run-1 --step revoke');
    expect(text).toContain("npx arazzo-temporal reject run-1 --step revoke --reason 'WHY'");
    expect(text).not.toContain('YOUR-NAME');
  });

  it("approve and reject signals record the paster's login name, also with a quote in an id", () => {
    expect(inputAsTheShellReadsIt(approveCommand('run-1', 'revoke', "ap'1"), 'carol')).toEqual({
      stepId: 'revoke',
      approvalId: "ap'1",
      by: 'carol',
    });
    expect(inputAsTheShellReadsIt(rejectCommand('run-1', 'revoke', 'ap-1'), 'dave')).toEqual({
      stepId: 'revoke',
      approvalId: 'ap-1',
      reason: 'WHY',
      compensate: false,
      by: 'dave',
    });
  });

  it('with a name given (the CLI knows its operator), the name is in the command', () => {
    expect(inputAsTheShellReadsIt(approveCommand('run-1', 'revoke', 'ap-1', "o'brien"), 'carol')).toEqual({
      stepId: 'revoke',
      approvalId: 'ap-1',
      by: "o'brien",
    });
  });
});
