// Posts one approval notice to one webhook: a Slack-compatible `{"text": ...}` body or a generic JSON
// body with the run link, the step, the exact request, the approval id, the expiry and the exact
// command that decides it. The webhook URLs are the worker's (they often carry a token, as Slack's
// do): they never enter history, and errors name a webhook by its number and host only.
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { ApprovalNotice } from '../arazzo/approvals/notice.js';
import { approveCommand } from '../workflows/details.js';
import type { WorkerPolicy } from './config.js';

export interface ApprovalWebhook {
  format: 'slack' | 'json';
  url: string;
}

export interface NotifyApprovalInput {
  /** Index into the worker's webhooks. */
  webhook: number;
  notice: ApprovalNotice;
}

/** `slack=https://hooks…,json=http://127.0.0.1:9000/x` (ARAZZO_APPROVAL_WEBHOOKS); a bare URL is json. */
export function webhooksFromEnv(value: string | undefined): ApprovalWebhook[] {
  if (!value?.trim()) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(slack|json)=(.+)$/.exec(entry);
      const url = match ? match[2] : entry;
      if (!/^https?:\/\//i.test(url)) {
        throw new Error(`ARAZZO_APPROVAL_WEBHOOKS: "${webhookName(url)}" is not an http(s) URL (give format=URL)`);
      }
      return { format: (match?.[1] ?? 'json') as ApprovalWebhook['format'], url };
    });
}

/** A webhook as logs and errors may show it: its host, never its path or query (they hold tokens). */
export function webhookName(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(not a URL)';
  }
}

/** What the notice says, for people (the Slack text) and for programs (the JSON body). */
export function noticeBodies(
  notice: ApprovalNotice,
  run: { namespace: string; workflowId: string; runId: string; uiBase: string },
) {
  const link = `${run.uiBase.replace(/\/$/, '')}/namespaces/${encodeURIComponent(run.namespace)}/workflows/${encodeURIComponent(run.workflowId)}/${encodeURIComponent(run.runId)}/history`;
  const approve = notice.authenticated
    ? `npx arazzo-temporal approve ${run.workflowId} --step ${notice.stepId} --key <your key file>`
    : approveCommand(run.workflowId, notice.stepId, notice.approvalId);
  const reject = notice.authenticated
    ? `npx arazzo-temporal reject ${run.workflowId} --step ${notice.stepId} --key <your key file> --reason WHY`
    : `npx arazzo-temporal reject ${run.workflowId} --step ${notice.stepId} --reason WHY`;
  const who = notice.required
    ? `${notice.required.quorum} approval(s)${notice.required.group ? ` from group "${notice.required.group}"` : ''}`
    : 'anyone (approvals are NOT authenticated: the worker has no approval policy)';
  const request = `${notice.method} ${notice.url}`;
  const lines =
    notice.kind === 'waiting'
      ? [
          `Approval needed: ${run.workflowId} step ${notice.stepId} waits to send ${request}`,
          `Needs ${who}; expires ${notice.expiresAt}. Approval id ${notice.approvalId}.`,
          `Approve: ${approve}`,
          `Run: ${link}`,
        ]
      : [
          `${run.workflowId} step ${notice.stepId} (${request}): ${notice.kind}${notice.by?.length ? ` by ${notice.by.join(', ')}` : ''}${notice.reason ? ` (${notice.reason})` : ''}`,
          `Run: ${link}`,
        ];
  return {
    text: lines.join('\n'),
    json: {
      event: `approval.${notice.kind}`,
      namespace: run.namespace,
      workflowId: run.workflowId,
      runId: run.runId,
      runLink: link,
      stepId: notice.stepId,
      approvalId: notice.approvalId,
      request: { method: notice.method, url: notice.url },
      requestedAt: notice.requestedAt,
      expiresAt: notice.expiresAt,
      authenticated: notice.authenticated,
      ...(notice.required ? { required: notice.required } : {}),
      ...(notice.by ? { by: notice.by } : {}),
      ...(notice.reason ? { reason: notice.reason } : {}),
      ...(notice.kind === 'waiting' ? { approveCommand: approve, rejectCommand: reject } : {}),
    },
  };
}

export function makeNotifyApproval(policy: WorkerPolicy) {
  return async function notifyApproval(input: NotifyApprovalInput): Promise<void> {
    const webhook = policy.approvalWebhooks?.[input.webhook];
    if (!webhook) {
      // The worker was restarted with fewer webhooks: nothing to post to, and retrying would not change it.
      throw ApplicationFailure.create({
        type: 'WebhookNotConfigured',
        message: `webhook ${input.webhook + 1} is not configured on this worker`,
        nonRetryable: true,
      });
    }
    const info = activityInfo();
    const bodies = noticeBodies(input.notice, {
      namespace: info.workflowNamespace ?? 'default',
      workflowId: info.workflowExecution?.workflowId ?? '',
      runId: info.workflowExecution?.runId ?? '',
      uiBase: policy.uiBase ?? 'http://127.0.0.1:8233',
    });
    const body = webhook.format === 'slack' ? { text: bodies.text } : bodies.json;
    const name = `webhook ${input.webhook + 1} (${webhookName(webhook.url)})`;
    let status: number;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (err) {
      throw ApplicationFailure.create({
        type: 'WebhookFailed',
        message: `${name} could not be reached: ${(err as Error).name}`,
      });
    }
    if (status < 200 || status >= 300) {
      throw ApplicationFailure.create({ type: 'WebhookFailed', message: `${name} answered HTTP ${status}` });
    }
  };
}
