// Our own pure modules that workflow code uses, evaluated once per worker like the third-party
// libraries (shared-libraries.ts): the expression parser, criteria, flow decisions, request and
// message building, secret masking, approval signatures. Each workflow execution (every run, and
// every lock child) evaluated all of them again, and each cached run held its own copy.
//
// Safe to share because they are pure: no module keeps state a run could see. Two keep state that no
// run can: criteria/regex.ts caches compiled patterns by their text, and criteria/xpath.ts holds the
// evaluation budget of the one XPath evaluation running (synchronously; reset in a finally). The SDK
// deep-freezes what a preloaded module exports, so an export must never be mutated.
//
// What is listed here is what src/workflows imports as values from outside src/workflows, and nothing
// else; test/unit/workflows/shared-core.test.ts keeps the two in step. The modules under src/workflows
// themselves are never shared: they hold each run's handlers and record.
import * as approvalSettings from '../arazzo/approvals/settings.js';
import * as approvalSignature from '../arazzo/approvals/signature.js';
import * as verifyDecision from '../arazzo/approvals/verify-decision.js';
import * as expressions from '../arazzo/expressions/index.js';
import * as flow from '../arazzo/flow/index.js';
import * as httpSemantics from '../arazzo/http/semantics.js';
import * as managedSpec from '../arazzo/managed/managed-spec.js';
import * as buildMessage from '../arazzo/messages/build-message.js';
import * as correlation from '../arazzo/messages/correlation.js';
import * as judgeMessage from '../arazzo/messages/judge-message.js';
import * as operationRequest from '../arazzo/plan/operation-request.js';
import * as referencedContext from '../arazzo/plan/referenced-context.js';
import * as stepExecution from '../arazzo/plan/step-execution.js';
import * as requestErrors from '../arazzo/request/errors.js';
import * as outputs from '../arazzo/request/outputs.js';
import * as mask from '../arazzo/secrets/mask.js';
import * as refs from '../arazzo/secrets/refs.js';
import * as binding from '../channels/binding.js';
import * as undecodable from '../codec/undecodable.js';

export const sharedCore = [
  approvalSettings,
  approvalSignature,
  verifyDecision,
  expressions,
  flow,
  httpSemantics,
  managedSpec,
  buildMessage,
  correlation,
  judgeMessage,
  operationRequest,
  referencedContext,
  stepExecution,
  requestErrors,
  outputs,
  mask,
  refs,
  binding,
  undecodable,
];
