// What a destructive step (a DELETE, `x-approval: required`, or a step the run names) passes before
// it runs: every new secret is held somewhere an operator can reach, then a person approves.
import type { ApprovalNotice } from '../arazzo/approvals/notice.js';
import type { ApprovalSettings } from '../arazzo/approvals/settings.js';
import type { PlanStep } from '../arazzo/plan/types.js';
import { workflowInfo } from '@temporalio/workflow';
import { ApprovalNotices } from './approval-notices.js';
import type { Compensation } from './compensation.js';
import type { Decisions } from './decisions.js';
import type { Ending } from './ending.js';
import { isPatched } from './patches.js';
import type { RunOptions } from './run-options.js';
import type { RunState } from './run-state.js';
import { describeHoldings, secretHoldings } from './secrets-held.js';

export interface GateSettings {
  servers?: Record<string, string>;
  deliver?: Record<string, string>;
  strict: boolean;
  options: RunOptions;
}

/**
 * The approval settings a run goes by (patches.ts `signedApprovals`): the load activity's for an entry
 * run, the parent's for a nested run (a top-level run's input cannot bring its own), the record's
 * for a continued run. Histories recorded before have none and keep the old path.
 */
export function takeApprovalSettings(state: RunState, loaded: ApprovalSettings | undefined): void {
  if (!loaded || !isPatched('signedApprovals')) return;
  state.record.approvalSettings = loaded;
  const policy = loaded.policy;
  if (policy) {
    const who = policy.requester;
    state.progress.requester = who ? `${who.name} (${who.fingerprint})` : 'unknown (the start was not signed)';
  }
}

/** A nested run takes its parent's settings; anything else that names them in its input is ignored. */
export function inheritedApprovalSettings(given: ApprovalSettings | undefined): ApprovalSettings | undefined {
  return workflowInfo().parent ? given : undefined;
}

/**
 * Whether a step waits for a person. Under an approval policy, the gates the load activity decided
 * (the run could change them only as far as the policy let it); otherwise the document's and the run's.
 */
export function stepNeedsApproval(
  state: RunState,
  workflowId: string,
  step: PlanStep,
  approval: { mode?: string; steps?: string[] } | undefined,
): boolean {
  const policy = state.record.approvalSettings?.policy;
  if (policy) return policy.gates[workflowId]?.[step.stepId] !== undefined;
  if (approval?.mode === 'none') return false;
  return step.approval === 'required' || (approval?.steps ?? []).includes(step.stepId);
}

export class ApprovalGate {
  /** Notifications for a run with approval settings (webhooks counted by the load activity). */
  private readonly notices: ApprovalNotices;

  constructor(
    private readonly state: RunState,
    private readonly decisions: Decisions,
    private readonly compensation: Compensation,
    private readonly settings: GateSettings,
    private readonly findStep: (stepId: string) => PlanStep | undefined,
  ) {
    this.notices = new ApprovalNotices(state.record.approvalSettings?.webhooks ?? 0);
  }

  /** Lets the notices in flight finish (bounded), so an outcome notice is not lost when the run ends. */
  settleNotices(): Promise<void> {
    return this.notices.settle();
  }

  /** Undefined when the step may run; otherwise how the run ends (rejected, expired, aborted, undone). */
  async pass(step: PlanStep): Promise<Ending | undefined> {
    return (await this.awaitSecretsHeld(step)) ?? (await this.awaitApproval(step));
  }

  private awaitApproval(step: PlanStep): Promise<Ending | undefined> {
    const { servers, strict, options } = this.settings;
    const secrets = describeHoldings(this.holdings());
    const settings = this.state.record.approvalSettings;
    const auth = settings && {
      // The policy's gates are per Arazzo workflow: the one this run walks.
      requirement: settings.policy?.gates[this.state.progress.workflowId]?.[step.stepId],
      notify: (notice: ApprovalNotice) => this.notices.send(notice),
    };
    const target = {
      servers,
      strict,
      timeout: options.approvalTimeout,
      timeoutMs: options.approvalTimeoutMs,
      secrets,
      ...(auth ? { auth } : {}),
    };
    return this.decisions.awaitApproval(step, target, () => this.compensation.compensate());
  }

  /** Every secret output of the completed steps, with where it is held. */
  private holdings() {
    const { record } = this.state;
    const done = record.completedSteps.map((id) => this.findStep(id)).filter((s) => s !== undefined);
    return secretHoldings(done, record.stepOutputs, this.settings.deliver, this.state.secretNames);
  }

  /**
   * Nothing destructive is offered while a new secret is held by nobody (an operator supplied a
   * create's id without its secret): the run waits for the secret (supplyOutputs) or an abort.
   */
  private async awaitSecretsHeld(step: PlanStep): Promise<Ending | undefined> {
    for (;;) {
      const lost = this.holdings().filter((h) => h.where === undefined);
      // Histories recorded before this rule went straight to approval.
      if (!lost.length || !isPatched('secretHeldBeforeApproval')) return undefined;
      const owner = lost[0].stepId;
      const names = lost.map((h) => `${h.stepId}.${h.output}`).join(', ');
      const choice = await this.decisions.awaitOperator({
        stepId: owner,
        reason: `${step.stepId} is not offered for approval: the new secret ${names} is held by nobody, so it could leave no usable credential`,
        known: `${owner} created something whose one-time secret was not captured`,
        options: [
          `supplyOutputs for ${owner} with ${lost.map((h) => h.output).join(', ')} as {"$secret": "env:NAME"} or {"$secret": "file:NAME"}`,
          'abort with {"compensate": true} to delete what was created',
        ],
        choices: ['supplyOutputs', 'abort'],
      });
      if (choice.kind === 'abort') return this.compensation.abort(choice.args);
      if (choice.kind === 'supply') {
        this.state.recordStepOutputs(owner, choice.args.outputs);
        this.state.finishStep(owner, 'succeeded', undefined, `outputs supplied by ${choice.args.by}`);
      }
    }
  }
}
