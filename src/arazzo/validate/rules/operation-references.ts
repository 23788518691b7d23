import { arazzoMinorVersion } from '../../document/arazzo-version.js';
import { isChannelStep } from '../../document/channel-index.js';
import { findOperation, type ResolvedOperation } from '../../document/operation-index.js';
import { closestName, didYouMean } from '../did-you-mean.js';
import { type StepNode, stepsOf, workflowsOf } from '../document-walk.js';
import { effectiveParameters } from '../effective-parameters.js';
import type { RuleContext } from '../rule-context.js';
import { reportUnknownSource } from '../unknown-source.js';
import { checkWorkflowReference } from '../workflow-reference.js';

/**
 * Each step's target exists (channel steps: channel-references.ts): `operationId` resolves in exactly one OpenAPI source (or is qualified),
 * `operationPath` points at an operation, `workflowId` names a workflow. For operations, the path
 * parameters the step passes match the `{names}` of the operation's path template.
 */
export function checkOperationReferences(ctx: RuleContext): void {
  const channelSteps = arazzoMinorVersion(ctx.document) === '1.1';
  for (const workflow of workflowsOf(ctx.document)) {
    for (const step of stepsOf(workflow)) {
      // 1.1 channel steps name AsyncAPI operations and channels: channel-references.ts.
      if (channelSteps && isChannelStep(step.step)) continue;
      const { operationId, operationPath, workflowId } = step.step;
      if (typeof workflowId === 'string') {
        checkWorkflowReference(ctx, workflowId, `${step.pointer}/workflowId`, 'workflowId');
      }
      const field =
        typeof operationId === 'string'
          ? 'operationId'
          : typeof operationPath === 'string'
            ? 'operationPath'
            : undefined;
      if (!field) continue;
      const pointer = `${step.pointer}/${field}`;
      const lookup = findOperation(
        ctx.set,
        field === 'operationId' ? { operationId: operationId as string } : { operationPath: operationPath as string },
      );
      if (lookup.ok) {
        checkPathParameters(ctx, step, lookup.value);
        continue;
      }
      switch (lookup.reason) {
        case 'source-unavailable':
          // The source itself is already a finding; nothing more can be said about its operations.
          break;
        case 'unknown-source':
          reportUnknownSource(ctx, {
            field,
            written: String(step.step[field]),
            sourceName: lookup.sourceName,
            pointer,
          });
          break;
        case 'unknown-operation': {
          const wanted = String(operationId).replace(/^\$sourceDescriptions\.[^.]+\./, '');
          ctx.report({
            code: 'unknown-operation',
            message: lookup.message,
            hint: didYouMean(wanted, lookup.candidates ?? []),
            pointer,
          });
          break;
        }
        case 'ambiguous-operation':
          ctx.report({
            code: 'ambiguous-operation',
            message: lookup.message,
            hint: `qualify it, e.g. $sourceDescriptions.${lookup.candidates?.[0] ?? '<name>'}.${String(operationId)}`,
            pointer,
          });
          break;
        case 'operation-path-unresolved':
          ctx.report({
            code: 'operation-path-unresolved',
            message: lookup.message,
            hint: didYouMean(String(operationPath).replace(/^[^#]*/, ''), lookup.candidates ?? []),
            pointer,
          });
          break;
        default:
          ctx.report({
            code: lookup.reason,
            message: lookup.message,
            hint:
              lookup.reason === 'source-not-openapi'
                ? 'operations come from sources of type openapi; use workflowId to run a workflow of an arazzo source'
                : 'write it as {$sourceDescriptions.<name>.url}#/paths/<path with / escaped as ~1>/<method>',
            pointer,
          });
      }
    }
  }
}

const TEMPLATE_NAME = /\{([^}]+)\}/g;

function checkPathParameters(ctx: RuleContext, step: StepNode, operation: ResolvedOperation): void {
  const templateNames = [...operation.path.matchAll(TEMPLATE_NAME)].map((match) => match[1]);
  const passed = effectiveParameters(ctx.document, step).filter((parameter) => parameter.in === 'path');
  const label = `${operation.method.toUpperCase()} ${operation.path}`;
  const unknown = passed.filter((parameter) => !templateNames.includes(parameter.name));
  for (const parameter of unknown) {
    // A workflow-level parameter applies to every step; only complain where the step itself wrote it.
    if (parameter.level !== 'step') continue;
    ctx.report({
      code: 'unknown-path-parameter',
      message: `path parameter "${parameter.name}" is not in the path of operation ${label}`,
      hint: didYouMean(
        parameter.name,
        templateNames,
        templateNames.length
          ? `its path parameters: ${templateNames.join(', ')}`
          : 'this operation has no path parameters',
      ),
      pointer: `${parameter.pointer}/name`,
    });
  }
  for (const name of templateNames) {
    if (passed.some((parameter) => parameter.name === name)) continue;
    const misnamed = closestName(
      name,
      unknown.map((parameter) => parameter.name),
    );
    ctx.report({
      code: 'missing-path-parameter',
      message: `step "${step.stepId ?? step.index}" does not pass path parameter "${name}" required by ${label}`,
      hint: misnamed
        ? `rename parameter "${misnamed}" to "${name}"`
        : `add { name: ${name}, in: path, value: ... } to the step's parameters`,
      pointer: step.step.parameters !== undefined ? `${step.pointer}/parameters` : step.pointer,
    });
  }
}
