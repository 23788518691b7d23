// What a webhook is told about an approval: the same event for the Slack-compatible `{text}` body and
// the generic JSON body. Built by the workflow (pure, no secrets: the URL is the prompt's, masked) and
// posted by the notifyApproval activity, which adds the run link and the exact commands.
export type ApprovalNoticeKind = 'waiting' | 'approved' | 'rejected' | 'expired';

export interface ApprovalNotice {
  kind: ApprovalNoticeKind;
  stepId: string;
  approvalId: string;
  method: string;
  /** As the approval prompt shows it (secrets masked). */
  url: string;
  requestedAt: string;
  expiresAt: string;
  /** Whether decisions are signed and verified (the worker has an approval policy). */
  authenticated: boolean;
  /** Who must approve and how many (authenticated only). */
  required?: { group?: string; quorum: number };
  /** Who decided: the verified names, or what unsigned senders typed. */
  by?: string[];
  /** A rejection's reason, an expiry's timeout. */
  reason?: string;
}
