// preflight-receive-without-timeout (error): a `receive` step without `timeout`. The wait would have no
// end: a message that is never sent (a responder down, a correlation id nobody echoes) leaves the run
// waiting for ever, holding its lock, and nobody is told. With a timeout the step fails and its
// onFailure actions apply. Silence it for a step that must wait indefinitely.
import type { PreflightContext, StepTarget } from '../context.js';
import { stepLabel } from '../context.js';

export function checkReceiveTimeout(ctx: PreflightContext, target: StepTarget): void {
  const { stepNode } = target;
  if (stepNode.step.action !== 'receive' || typeof stepNode.step.timeout === 'number') return;
  ctx.report({
    code: 'preflight-receive-without-timeout',
    message: `receive step "${stepLabel(stepNode)}" has no timeout: if the message never comes, the run waits for ever`,
    hint: 'add `timeout: <milliseconds>`; when it passes the step fails and onFailure applies',
    pointer: stepNode.pointer,
  });
}
