// preflight-channel-action-contradicts-operation (warning): a channel step whose action is the AsyncAPI
// operation's own, where the operation has no reply. An AsyncAPI description describes an application
// and the workflow plays its counterpart (the spec's example: a `send` step on `placeOrder`, whose
// action is `receive`), so a `send` on an operation that *sends* publishes where only the application
// is described as publishing (its consumers take the workflow's message for the application's), and a
// `receive` on an operation that *receives* waits for messages meant for the application. Not an
// error: nothing in the description proves the run fails (someone else may write to that channel),
// and a description written from the workflow's side reads the other way; the step then acts on the
// operation's own channel.
import type { PreflightContext, StepTarget } from '../context.js';
import { stepLabel } from '../context.js';

export function checkChannelAction(ctx: PreflightContext, target: StepTarget): void {
  const { channel, stepNode } = target;
  if (!channel?.operation || !channel.contradicts) return;
  const action = channel.operation.action;
  ctx.report({
    severity: 'warning',
    code: 'preflight-channel-action-contradicts-operation',
    message: `step "${stepLabel(stepNode)}" does \`${action}\` on AsyncAPI operation "${channel.operation.id}", whose own action is \`${action}\` (and it has no reply): the workflow plays the other side of the described application, so it would ${action === 'send' ? 'send where only the application is described as sending' : 'wait for messages sent to the application'}`,
    hint: `use action: ${action === 'send' ? 'receive' : 'send'} (the counterpart of "${channel.operation.id}"), or name the operation that ${action === 'send' ? 'receives' : 'sends'} on channel "${channel.channel.key}"`,
    pointer: `${stepNode.pointer}/action`,
  });
}
