import { userInfo } from 'node:os';
import { Command } from 'commander';
import { withClient } from '../connect.js';
import { out, printJson } from '../output.js';

interface DecideFlags {
  step?: string;
  by?: string;
  reason?: string;
  compensate?: boolean;
  wait: boolean;
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

function decisionCommand(kind: 'approve' | 'reject', description: string): Command {
  return new Command(kind)
    .description(description)
    .argument('<workflow-id>', 'the run (Temporal workflow id)')
    .option('--step <stepId>', 'the step (default: the one awaiting approval)')
    .option('--by <name>', 'who decides (default: ARAZZO_APPROVER or your user name)')
    .option('--wait', 'then follow the run until it is done or waits again', false)
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', '\nExit codes: 0 accepted, 1 refused (with the reason) or no such run, 2 usage error.')
    .action(async (workflowRunId: string, o: DecideFlags, command: Command) => {
      const { decide } = await import('../decide.js');
      const { followRun } = await import('../follow-run.js');
      await withClient(command, async ({ client }) => {
        const outcome = await decide(client, {
          kind,
          workflowRunId,
          stepId: o.step,
          by: o.by ?? process.env.ARAZZO_APPROVER ?? currentUser(),
          reason: o.reason,
          compensate: o.compensate,
        });
        if (o.json && !o.wait) printJson({ workflowId: workflowRunId, ...outcome });
        else if (!o.json) out(outcome.answer);
        if (o.wait)
          process.exitCode = await followRun(client.workflow.getHandle(workflowRunId), o.json, outcome.approvalId);
      });
    });
}

function currentUser(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}
