// Pre-flight checks: an Arazzo workflow against the OpenAPI operations it calls, statically, before
// the first request. Pure (no I/O, no Node built-ins). Rules, codes and severities: preflight.ts.
export type { PreflightContext, PreflightRule, StepTarget, WorkflowFlow } from './context.js';
export { applySilencing, explainCode, PREFLIGHT_EXPLANATIONS, type RuleExplanation } from './explain.js';
export { PREFLIGHT_RULES, type PreflightOptions, preflight, runPreflight } from './preflight.js';
export { checkCreateWithoutCleanup } from './rules/create-without-cleanup.js';
export { checkEnumLiterals } from './rules/enum-literals.js';
export { checkListPositionTarget } from './rules/list-position-target.js';
export { checkOneTimeValueLost } from './rules/one-time-value-lost.js';
export { checkRequestBody } from './rules/request-body.js';
export { checkRequestParameters } from './rules/request-parameters.js';
export { checkResponsePointers } from './rules/response-pointers.js';
export { checkSecretLockKey } from './rules/secret-lock-key.js';
export { checkManagedMapping } from './rules/managed-mapping.js';
export { checkStatusCodes } from './rules/status-codes.js';
export { checkStatusOnlyVerification } from './rules/status-only-verification.js';
export { preflightSummary } from './summary.js';
