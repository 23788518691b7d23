// preflight-undeclared-correlation-id (error): a channel step with a `correlationId` whose AsyncAPI
// message declares no correlationId `location`. The runtime matches a received message to its run by
// the value at that location (and keys a sent one by it): without one there is nothing to compare, so
// the step would take another run's message, or never match.
import type { PreflightContext, StepTarget } from '../context.js';
import { stepLabel } from '../context.js';

export function checkCorrelationId(ctx: PreflightContext, target: StepTarget): void {
  const { channel, stepNode } = target;
  if (!channel || stepNode.step.correlationId === undefined) return;
  const message = channel.message;
  if (message?.correlationIdLocation) return;
  ctx.report({
    code: 'preflight-undeclared-correlation-id',
    message: message
      ? `step "${stepLabel(stepNode)}" has a correlationId, but message "${message.name}" of channel "${channel.channel.key}" declares no correlationId location: a received message cannot be matched to this run`
      : `step "${stepLabel(stepNode)}" has a correlationId, but channel "${channel.channel.key}" declares no message`,
    hint: `declare \`correlationId: { location: '$message.header#/<name>' }\` on the message in the AsyncAPI description, or remove the step's correlationId`,
    pointer: `${stepNode.pointer}/correlationId`,
  });
}
