// A channel step's parameters fit a message: `in: header` (the message's headers) or `in: path` (the
// channel address's `{name}` parameters), nothing else; every address parameter has a value and every
// `in: path` parameter is one of them (a receive needs the address filled as much as a send). What it prevents: a send whose topic cannot be built, found only
// when the step runs, after the steps before it did.
import { arazzoMinorVersion } from '../../document/arazzo-version.js';
import { channelReferenceOf, findChannel, isChannelStep } from '../../document/channel-index.js';
import { closestName, didYouMean } from '../did-you-mean.js';
import { stepsOf, workflowsOf } from '../document-walk.js';
import { effectiveParameters } from '../effective-parameters.js';
import type { RuleContext } from '../rule-context.js';

const ADDRESS_PARAMETER = /\{([^{}]+)\}/g;

export function checkChannelParameters(ctx: RuleContext): void {
  if (arazzoMinorVersion(ctx.document) !== '1.1') return;
  for (const workflow of workflowsOf(ctx.document)) {
    for (const step of stepsOf(workflow)) {
      if (!isChannelStep(step.step)) continue;
      const parameters = effectiveParameters(ctx.document, step);
      for (const parameter of parameters) {
        if (parameter.level !== 'step' || parameter.in === undefined) continue;
        if (parameter.in === 'header' || parameter.in === 'path') continue;
        ctx.report({
          code: 'channel-parameter-location',
          message: `parameter "${parameter.name}" of channel step "${step.stepId}" is \`in: ${parameter.in}\`; a message has headers and an address, nothing else`,
          hint: 'use `in: header` for a message header, `in: path` for a `{name}` of the channel address',
          pointer: `${parameter.pointer}/in`,
        });
      }
      const { action } = step.step;
      const named = channelReferenceOf(step.step);
      if ((action !== 'send' && action !== 'receive') || !named) continue;
      const lookup = findChannel(ctx.set, named.reference, action);
      if (!lookup.ok) continue; // channel-references reports it
      const { channel } = lookup.value;
      const address = channel.address ?? '';
      const names = [...new Set([...address.matchAll(ADDRESS_PARAMETER)].map((match) => match[1]))];
      const passed = parameters.filter((parameter) => parameter.in === 'path');
      const unknown = passed.filter((parameter) => !names.includes(parameter.name));
      for (const parameter of unknown) {
        if (parameter.level !== 'step') continue;
        ctx.report({
          code: 'unknown-address-parameter',
          message: `path parameter "${parameter.name}" is not a parameter of channel "${channel.key}" (address "${address}")`,
          hint: didYouMean(
            parameter.name,
            names,
            names.length ? `its address parameters: ${names.join(', ')}` : 'its address has no parameters',
          ),
          pointer: `${parameter.pointer}/name`,
        });
      }
      for (const name of names) {
        if (passed.some((parameter) => parameter.name === name)) continue;
        const misnamed = closestName(
          name,
          unknown.map((parameter) => parameter.name),
        );
        ctx.report({
          code: 'missing-address-parameter',
          message: `${action} step "${step.stepId}" does not pass address parameter "${name}" of channel "${channel.key}" (address "${address}")`,
          hint: misnamed
            ? `rename parameter "${misnamed}" to "${name}"`
            : `add { name: ${name}, in: path, value: ... } to the step's parameters`,
          pointer: step.step.parameters !== undefined ? `${step.pointer}/parameters` : step.pointer,
        });
      }
    }
  }
}
