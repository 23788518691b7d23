// Pre-flight: each step compared with the operation it calls, before the first request. A rotation that
// fails halfway is worse than one that never starts, and most such failures are visible in the OpenAPI
// description: a status the API never sends, a field the body does not have, a literal the enum
// cannot hold, a required request field that may be missing, a flow that strands what it created.
//
// Severity by evidence (ARCHITECTURE.md): error = the description proves the run cannot succeed as
// written; warning = it might not; hint = worth a look, nothing proven. Rules (one file each under
// rules/), their codes and severities:
//   status-codes              preflight-undeclared-status              error
//   response-pointers         preflight-unknown-response-pointer       error   (closed schemas, no body)
//                             preflight-undeclared-response-pointer    warning (open schemas)
//   enum-literals             preflight-enum-mismatch                  error
//   request-parameters        preflight-missing-required-parameter     error
//                             preflight-required-from-optional-input   warning
//                             preflight-unknown-parameter              warning
//   request-body              preflight-missing-request-body           error
//                             preflight-missing-required-property      error
//                             preflight-required-from-optional-input   warning
//                             preflight-undeclared-property            warning (error if additionalProperties: false)
//   list-position-target      preflight-list-position-target           error
//   create-without-cleanup    preflight-create-without-cleanup         warning
//   status-only-verification  preflight-status-only-verification       warning
//   one-time-value-lost       preflight-one-time-value-lost            error/warning/hint by evidence
//   secret-lock-key           preflight-secret-lock-key                error   (once per workflow)
//   channel-action            preflight-channel-action-contradicts-operation  warning (1.1 channel steps)
//   message-payload           preflight-message-payload-mismatch       error   (literals vs the message schema)
//                             preflight-missing-message-header         error
//   message-pointers          preflight-unknown-message-pointer        error   (closed message schemas)
//                             preflight-undeclared-message-pointer     warning (open ones)
//   correlation-id            preflight-undeclared-correlation-id      error
//   receive-timeout           preflight-receive-without-timeout        error
//   channel-protocol          preflight-unsupported-protocol           error   (no binding; Kafka today)
//   explain.ts                preflight-ignore-unknown                 error   a silencing entry that names
//                             nothing that exists (warning for a step's x-preflight-ignore)
//   managed-mapping           preflight-managed-mapping                error   (once per workflow)
//   (this file)               preflight-internal-error                 error   a rule failed on a step:
//                             that step is unchecked, so the run must not be trusted as checked
//                             preflight-unknown-workflow               error   options.workflowId names none
//
// Generic: no rule knows any particular API. Pure: no I/O, no Node built-ins. Steps whose operation
// does not resolve, and documents the schema rejects, are left to validation (validateDocumentSet):
// pre-flight reads the document through the same shape-checking accessors and skips what it cannot
// read. It never throws.
import { compareFindings, type DocumentSet } from '../document/document-set.js';
import { arazzoMinorVersion } from '../document/arazzo-version.js';
import { channelReferenceOf, findChannel, isChannelStep, type ResolvedChannelStep } from '../document/channel-index.js';
import { findOperation, type ResolvedOperation } from '../document/operation-index.js';
import type { Finding } from '../model.js';
import { isObject, type StepNode, stepsOf, workflowsOf } from '../validate/document-walk.js';
import { createPreflightContext, type PreflightRule, type WorkflowFlow } from './context.js';
import { applySilencing } from './explain.js';
import { checkChannelAction } from './rules/channel-action.js';
import { checkChannelProtocol } from './rules/channel-protocol.js';
import { checkCorrelationId } from './rules/correlation-id.js';
import { checkCreateWithoutCleanup } from './rules/create-without-cleanup.js';
import { checkEnumLiterals } from './rules/enum-literals.js';
import { checkManagedMapping } from './rules/managed-mapping.js';
import { checkListPositionTarget } from './rules/list-position-target.js';
import { checkMessagePayload } from './rules/message-payload.js';
import { checkMessagePointers } from './rules/message-pointers.js';
import { checkOneTimeValueLost } from './rules/one-time-value-lost.js';
import { checkReceiveTimeout } from './rules/receive-timeout.js';
import { checkRequestBody } from './rules/request-body.js';
import { checkRequestParameters } from './rules/request-parameters.js';
import { checkResponsePointers } from './rules/response-pointers.js';
import { checkSecretLockKey } from './rules/secret-lock-key.js';
import { checkStatusCodes } from './rules/status-codes.js';
import { checkStatusOnlyVerification } from './rules/status-only-verification.js';

export interface PreflightOptions {
  /** Check only this workflow (the one about to run). Default: every workflow of the entry document. */
  workflowId?: string;
  /**
   * `<stepId>:<code>` entries silencing one finding code for one step (besides each step's own
   * `x-preflight-ignore`); an entry that names nothing that exists is an error (explain.ts).
   */
  ignore?: readonly string[];
}

export const PREFLIGHT_RULES: readonly PreflightRule[] = [
  checkStatusCodes,
  checkResponsePointers,
  checkEnumLiterals,
  checkRequestParameters,
  checkRequestBody,
  checkListPositionTarget,
  checkCreateWithoutCleanup,
  checkStatusOnlyVerification,
  checkOneTimeValueLost,
  checkSecretLockKey,
  checkManagedMapping,
  checkChannelAction,
  checkMessagePayload,
  checkMessagePointers,
  checkCorrelationId,
  checkReceiveTimeout,
  checkChannelProtocol,
];

function channelOf(set: DocumentSet, step: StepNode): ResolvedChannelStep | undefined {
  const { action } = step.step;
  const named = channelReferenceOf(step.step);
  if ((action !== 'send' && action !== 'receive') || !named) return undefined;
  const lookup = findChannel(set, named.reference, action);
  return lookup.ok ? lookup.value : undefined;
}

function operationOf(set: DocumentSet, step: StepNode): ResolvedOperation | undefined {
  const { operationId, operationPath } = step.step;
  const lookup =
    typeof operationId === 'string'
      ? findOperation(set, { operationId })
      : typeof operationPath === 'string'
        ? findOperation(set, { operationPath })
        : undefined;
  return lookup?.ok ? lookup.value : undefined;
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function preflight(set: DocumentSet, options: PreflightOptions = {}): Finding[] {
  return runPreflight(set, options, PREFLIGHT_RULES);
}

/** Runs the given rules only; lets tests exercise one rule at a time. */
export function runPreflight(set: DocumentSet, options: PreflightOptions, rules: readonly PreflightRule[]): Finding[] {
  const ctx = createPreflightContext(set);
  if (!isObject(ctx.document)) return [];
  const channelSteps = arazzoMinorVersion(ctx.document) === '1.1';
  let workflows = workflowsOf(ctx.document);
  if (options.workflowId !== undefined) {
    workflows = workflows.filter((workflow) => workflow.workflowId === options.workflowId);
    if (workflows.length === 0) {
      ctx.report({
        code: 'preflight-unknown-workflow',
        message: `no workflow has workflowId "${options.workflowId}"`,
        hint: `workflows: ${workflowsOf(ctx.document)
          .map((workflow) => workflow.workflowId)
          .filter(Boolean)
          .join(', ')}`,
        pointer: '/workflows',
      });
    }
  }
  for (const workflow of workflows) {
    let flow: WorkflowFlow;
    try {
      flow = {
        workflow,
        steps: stepsOf(workflow).map((stepNode) =>
          channelSteps && isChannelStep(stepNode.step)
            ? { stepNode, channel: channelOf(set, stepNode) }
            : { stepNode, operation: operationOf(set, stepNode) },
        ),
      };
    } catch (error) {
      ctx.report({
        code: 'preflight-internal-error',
        message: `pre-flight could not read workflow "${workflow.workflowId ?? workflow.index}": ${describeError(error)}`,
        hint: 'its steps were not checked; run validation, and report this if the document is valid',
        pointer: workflow.pointer,
      });
      continue;
    }
    for (const step of flow.steps) {
      for (const rule of rules) {
        try {
          rule(ctx, step, flow);
        } catch (error) {
          ctx.report({
            code: 'preflight-internal-error',
            message: `pre-flight rule ${rule.name || 'anonymous'} failed on this step: ${describeError(error)}`,
            hint: 'this step was not fully checked; run validation, and report this if the document is valid',
            pointer: step.stepNode.pointer,
          });
        }
      }
    }
  }
  return applySilencing(ctx.findings, workflows, options.ignore ?? [], ctx.report).sort(compareFindings);
}
