// preflight-unsupported-protocol (error): a channel step whose AsyncAPI server speaks a protocol no
// binding of this engine carries (messages/protocols.ts; Kafka today), or whose description declares
// no server at all: the step could not send or receive anything, after the steps before it ran.
import { SUPPORTED_CHANNEL_PROTOCOLS } from '../../messages/protocols.js';
import type { PreflightContext, StepTarget } from '../context.js';
import { stepLabel } from '../context.js';

export function checkChannelProtocol(ctx: PreflightContext, target: StepTarget): void {
  const { channel, stepNode } = target;
  if (!channel) return;
  const server = channel.server;
  if (server && SUPPORTED_CHANNEL_PROTOCOLS.includes(server.protocol)) return;
  ctx.report({
    code: 'preflight-unsupported-protocol',
    message: server
      ? `step "${stepLabel(stepNode)}" acts on channel "${channel.channel.key}" over server "${server.name}", protocol "${server.protocol}": this engine has no binding for it (supported: ${SUPPORTED_CHANNEL_PROTOCOLS.join(', ')})`
      : `step "${stepLabel(stepNode)}" acts on channel "${channel.channel.key}", but AsyncAPI source "${channel.sourceName}" declares no server`,
    hint: server
      ? `use a server with protocol ${SUPPORTED_CHANNEL_PROTOCOLS.join(' or ')}`
      : 'declare a server (host and protocol) in the AsyncAPI description',
    pointer: stepNode.pointer,
  });
}
