// Arazzo 1.1 channel steps name something that exists: an AsyncAPI operation (`operationId`, qualified
// `$sourceDescriptions.<name>.<id>` or bare when one AsyncAPI source has it) or a channel (`channelPath`,
// `{$sourceDescriptions.<name>.url}#/channels/<key>`). What it prevents: a run whose message goes
// nowhere, or a wait for a channel nobody writes to. The Arazzo text's own example writes
// `operationPath: $sourceDescriptions.<name>.placeOrder`: an operation id in the field for OpenAPI
// pointers, reported as such (the schema's "unknown property" says the same less usefully).
import { arazzoMinorVersion } from '../../document/arazzo-version.js';
import { channelReferenceOf, findChannel, isChannelStep, replyNamed } from '../../document/channel-index.js';
import { isAvailable } from '../../document/document-set.js';
import { didYouMean } from '../did-you-mean.js';
import { stepsOf, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';
import { reportUnknownSource } from '../unknown-source.js';

export function checkChannelReferences(ctx: RuleContext): void {
  if (arazzoMinorVersion(ctx.document) !== '1.1') return;
  for (const workflow of workflowsOf(ctx.document)) {
    for (const step of stepsOf(workflow)) {
      if (!isChannelStep(step.step)) continue;
      const { operationPath, action } = step.step;
      const named = channelReferenceOf(step.step);
      if (named?.field === 'operationPath') {
        ctx.report({
          code: 'channel-step-operation-path',
          message: `step "${step.stepId}" names AsyncAPI operation "${operationPath}" with operationPath, which points into OpenAPI descriptions`,
          hint: `write operationId: ${operationPath}`,
          pointer: `${step.pointer}/operationPath`,
        });
      }
      if (action !== 'send' && action !== 'receive') continue; // the schema says so
      if (!named) continue; // step-kind reports a step with no target
      const field = named.field;
      const written = String(step.step[field]);
      const lookup = findChannel(ctx.set, named.reference, action);
      if (lookup.ok) continue;
      const pointer = `${step.pointer}/${field}`;
      switch (lookup.reason) {
        case 'source-unavailable':
          break; // the source's own finding says it all
        case 'unknown-source':
          reportUnknownSource(ctx, { field, written, sourceName: lookup.sourceName, pointer });
          break;
        case 'unknown-operation': {
          const wanted = written.replace(/^\$sourceDescriptions\.[^.]+\./, '');
          const source = lookup.sourceName ? ctx.set.sources[lookup.sourceName] : undefined;
          const reply = source?.type === 'asyncapi' && isAvailable(source) ? replyNamed(source, wanted) : undefined;
          ctx.report({
            code: 'unknown-channel-operation',
            message: lookup.message,
            hint: reply
              ? `"${wanted}" is the reply of operation "${reply.id}" (channel "${reply.reply?.channel}"): a ${reply.action} step on "${reply.id}" listens for it (operationId: $sourceDescriptions.${lookup.sourceName}.${reply.id}, action: ${reply.action})`
              : didYouMean(
                  wanted,
                  lookup.candidates ?? [],
                  lookup.candidates?.length ? `its operations: ${lookup.candidates.join(', ')}` : undefined,
                ),
            pointer,
          });
          break;
        }
        case 'unknown-channel':
          ctx.report({
            code: 'unknown-channel',
            message: lookup.message,
            hint: didYouMean(
              written.replace(/^.*#\/channels\//, ''),
              lookup.candidates ?? [],
              `its channels: ${(lookup.candidates ?? []).join(', ') || '(none)'}`,
            ),
            pointer,
          });
          break;
        case 'ambiguous-operation':
          ctx.report({
            code: 'ambiguous-operation',
            message: lookup.message,
            hint: `qualify it, e.g. $sourceDescriptions.${lookup.candidates?.[0] ?? '<name>'}.${written}`,
            pointer,
          });
          break;
        default:
          ctx.report({
            code: lookup.reason,
            message: lookup.message,
            hint:
              lookup.reason === 'source-not-asyncapi'
                ? 'a channel step (with action) acts on an AsyncAPI source; an OpenAPI operation is called without action'
                : 'write it as {$sourceDescriptions.<name>.url}#/channels/<channel key>',
            pointer,
          });
      }
    }
  }
}
