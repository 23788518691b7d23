// Approval notifications: when a step starts waiting and when its wait ends, one notifyApproval
// activity per configured webhook (the worker keeps the URLs; the run knows only how many). They
// run beside the walk and never hold it up or fail it: retries are bounded in total time, a failure
// is dropped, and the run only lets the ones still in flight finish before it ends or continues as
// new (so an outcome notice is not lost with the run's last task).
import { proxyActivities } from '@temporalio/workflow';
import type { ApprovalNotice } from '../arazzo/approvals/notice.js';
import type { ApprovalActivities } from '../activities/index.js';

const { notifyApproval } = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '10s',
  // At most 5 attempts within 1 minute (1 s, 2 s, 4 s, 8 s between them): a receiver down for good
  // costs the run's end about 15 s, never its outcome.
  scheduleToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 5 },
});

export class ApprovalNotices {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly webhooks: number) {}

  /** Starts one notification per webhook; returns at once. */
  send(notice: ApprovalNotice): void {
    for (let webhook = 0; webhook < this.webhooks; webhook++) {
      const sent: Promise<void> = notifyApproval
        .executeWithOptions(
          {
            activityId: `notify-${notice.kind}-${notice.approvalId}-${webhook}`,
            summary: `notify webhook ${webhook + 1}: ${notice.stepId} ${notice.kind}`,
          },
          [{ webhook, notice }],
        )
        .catch(() => undefined)
        .finally(() => this.inFlight.delete(sent));
      this.inFlight.add(sent);
    }
  }

  /** Lets the notifications in flight finish (each is bounded in time; failures were dropped). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}
