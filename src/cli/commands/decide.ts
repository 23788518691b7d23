// `approve` / `reject`: the decision goes through the workflow UPDATE of the same name, so a mistake
// (wrong step, stale approval, nothing pending) is refused at once with the interpreter's reason,
// instead of being silently ignored like a signal. Step and approval id default to what is pending.
// The two commands differ only in a flag or two, so one builder makes both.
import { userInfo } from 'node:os';
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { requestDigest, signDecision } from '../../arazzo/approvals/signature.js';
import { describeKey, readApproverKey } from '../approver-key.js';
import { withClient } from '../connect.js';
import { followTimeout } from '../duration.js';
import { CliError } from '../errors.js';
import { out, printJson } from '../output.js';
import { requireWorker } from '../worker-presence.js';

type Kind = 'approve' | 'reject';

interface DecideFlags {
  step?: string;
  by?: string;
  /** approve: a comment; reject: the reason (required). */
  reason?: string;
  compensate?: boolean;
  /** The approver's key file: the decision is signed (required by a worker with an approval policy). */
  key?: string;
  wait: boolean;
  /** `--timeout` of `--wait`. */
  timeout?: string;
  json: boolean;
}

export function approveCommand(): Command {
  return decisionCommand('approve', 'approve the pending destructive step (refused at once if it does not fit)').option(
    '--reason <text>',
    'a comment recorded with the approval',
  );
}

export function rejectCommand(): Command {
  return decisionCommand('reject', 'reject the pending step: it is skipped and the run ends as rejected')
    .requiredOption('--reason <text>', 'why (recorded with the decision)')
    .option('--compensate', 'also undo completed steps that declare x-compensation, newest first', false);
}

function decisionCommand(kind: Kind, description: string): Command {
  return new Command(kind)
    .description(description)
    .argument('<workflow-id>', 'the run (Temporal workflow id)')
    .option('--step <stepId>', 'the step (default: the one awaiting approval)')
    .option('--by <name>', 'who decides, unsigned (default: ARAZZO_APPROVER or your user name)')
    .option(
      '--key <file>',
      "sign the decision with this approver key (ARAZZO_APPROVER_KEY); a worker's approval policy requires it",
    )
    .option('--wait', 'then follow the run until it is done or waits again')
    .option('--timeout <duration>', 'with --wait: stop waiting after this long, e.g. 10m (the run goes on)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `\nExit codes: 0 accepted (with --wait: the run then ${kind === 'reject' ? 'ended as rejected or compensated' : 'completed or waits for approval again'}), 1 refused (with the reason), no such run, or no worker polls its task queue, 2 usage error, 3 (with --wait) the run needs an operator decision, 4 (with --wait) --timeout passed.`,
    )
    .action(async (workflowRunId: string, o: DecideFlags, command: Command) => {
      // Loaded on use, like every command's heavy dependencies (see program.ts).
      const { followRun } = await import('../follow-run.js');
      const timeoutMs = followTimeout(o);
      await withClient(command, async ({ client, namespace }) => {
        await requireWorker(client, namespace, workflowRunId, `the ${kind} cannot be applied until one does`);
        const outcome = await decide(client, namespace, kind, workflowRunId, o);
        if (o.json && !o.wait) printJson({ workflowId: workflowRunId, ...outcome });
        else if (!o.json) out(outcome.answer);
        // An approval short of its quorum leaves the step waiting: --wait then shows who is still needed.
        const decided = outcome.partial ? undefined : outcome.approvalId;
        if (o.wait)
          process.exitCode = await followRun(client.workflow.getHandle(workflowRunId), Boolean(o.json), decided, {
            timeoutMs,
            // A rejection is what was asked for: the run ending rejected (or compensated) is success.
            accept: kind === 'reject' ? ['rejected', 'compensated'] : undefined,
          });
      });
    });
}

/** Returns the step decided, the approval id when one was pending, and the interpreter's answer. */
async function decide(client: Client, namespace: string, kind: Kind, workflowRunId: string, o: DecideFlags) {
  const [{ WorkflowUpdateFailedError }, { explainQueryError, queryProgress }] = await Promise.all([
    import('@temporalio/client'),
    import('../progress-query.js'),
  ]);
  const handle = client.workflow.getHandle(workflowRunId);
  const progress = await queryProgress(handle).catch((err) => {
    throw explainQueryError(err, workflowRunId);
  });
  const pending = progress.pendingApproval;
  if (!pending && !o.step) {
    throw new CliError(
      `no approval is pending for ${workflowRunId} (state: ${progress.state})`,
      `see where it is: arazzo-temporal status ${workflowRunId}`,
    );
  }
  const stepId = o.step ?? pending!.stepId;
  const approvalId = pending?.stepId === stepId ? pending.approvalId : undefined;
  const keyFile = o.key ?? process.env.ARAZZO_APPROVER_KEY;
  const signer = keyFile ? await readApproverKey(keyFile) : undefined;
  const by = signer?.name ?? o.by ?? process.env.ARAZZO_APPROVER ?? currentUser();
  if (!signer && pending?.authenticated) {
    throw new CliError(
      `${kind} of ${workflowRunId} must be signed: the worker's approval policy verifies who decides`,
      `add --key <your key file> (made by: arazzo-temporal approver keygen --name YOUR-NAME)`,
    );
  }
  const signed =
    signer && pending && approvalId
      ? signDecision(
          {
            namespace,
            workflowId: workflowRunId,
            runId: pending.runId ?? (await handle.describe()).runId,
            stepId,
            approvalId,
            decision: kind,
            // The request as shown here, digested here: the workflow refuses it if it would send another.
            requestDigest: requestDigest(pending.method, pending.url),
            signedAt: new Date().toISOString(),
          },
          signer.secretKey,
        )
      : undefined;
  if (signed && !o.json) out(`signing as ${describeKey(signer!)}: ${kind} ${pending!.method} ${pending!.url}`);
  // The workflow's contract, loaded on use (it pulls in the SDK's workflow package).
  const { approveUpdate, rejectUpdate } = await import('../../workflows/contract.js');
  try {
    const answer =
      kind === 'approve'
        ? await handle.executeUpdate(approveUpdate, {
            args: [{ stepId, approvalId, by, comment: o.reason, ...(signed ? { signed } : {}) }],
          })
        : await handle.executeUpdate(rejectUpdate, {
            args: [
              {
                stepId,
                approvalId,
                by,
                reason: o.reason ?? '',
                compensate: o.compensate,
                ...(signed ? { signed } : {}),
              },
            ],
          });
    const after = signed && kind === 'approve' ? await queryProgress(handle) : undefined;
    const partial = after?.pendingApproval?.approvalId === approvalId && after?.state === 'awaiting-approval';
    return { stepId, approvalId, answer, partial };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new CliError(
        `${kind} refused: ${err.cause?.message ?? err.message}`,
        `see where it is: arazzo-temporal status ${workflowRunId}`,
      );
    }
    throw err;
  }
}

function currentUser(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}
