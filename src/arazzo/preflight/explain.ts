// Why each pre-flight rule exists and how to silence it for one step (`check --explain <code>`), and
// the silencing itself. A finding is silenced only for a step that names it: in the document, the step's
// `x-preflight-ignore: [code, ...]`; from outside, `<stepId>:<code>` entries (`check --ignore`, the run
// input's `preflightIgnore`). There is no way to silence a code for every step, and an entry naming a
// step or code that does not exist is itself a finding: a typo never silences something else.
import type { Finding } from '../model.js';
import { isObject, type WorkflowNode, stepsOf } from '../validate/document-walk.js';

export interface RuleExplanation {
  severity: string;
  why: string;
  /** False for findings that must not be silenced (security, and the checker's own failures). */
  silenceable: boolean;
}

export const PREFLIGHT_EXPLANATIONS: Readonly<Record<string, RuleExplanation>> = {
  'preflight-undeclared-status': {
    severity: 'error',
    why: 'A criterion expects a status the operation never declares: if the API behaves as described, the step fails on every success (a delete expecting 204 from an API answering 200 deletes the key, then reports failure).',
    silenceable: true,
  },
  'preflight-unknown-response-pointer': {
    severity: 'error',
    why: 'A read of the response body that its schema makes impossible (every object on the way is closed by additionalProperties/unevaluatedProperties: false, or the response has no body): an output that reads nothing loses its value; a criterion that reads nothing fails on every healthy response.',
    silenceable: true,
  },
  'preflight-undeclared-response-pointer': {
    severity: 'warning',
    why: 'A read of the response body that its schema does not declare, where the schema allows other properties: the API may send it (descriptions forget fields), or the pointer is wrong (the closest declared pointer is suggested).',
    silenceable: true,
  },
  'preflight-enum-mismatch': {
    severity: 'error',
    why: 'A field compared with a literal its enum/const cannot hold: the comparison can never be true.',
    silenceable: true,
  },
  'preflight-missing-required-parameter': {
    severity: 'error',
    why: 'A required query/header/cookie parameter the step never sends: the API refuses the request.',
    silenceable: true,
  },
  'preflight-required-from-optional-input': {
    severity: 'warning',
    why: 'A required parameter or body property fed only by an optional input without a default: the request is incomplete whenever the caller omits it.',
    silenceable: true,
  },
  'preflight-unknown-parameter': {
    severity: 'warning',
    why: 'A parameter the operation does not declare under that name and location: at best ignored by the API.',
    silenceable: true,
  },
  'preflight-missing-request-body': {
    severity: 'error',
    why: 'The operation requires a request body and the step sends none.',
    silenceable: true,
  },
  'preflight-missing-required-property': {
    severity: 'error',
    why: 'The payload does not set a property the request schema requires.',
    silenceable: true,
  },
  'preflight-undeclared-property': {
    severity: 'warning (error under a closed schema)',
    why: 'The payload sets a property the request schema does not declare: ignored at best, a 422 after earlier steps ran at worst (certain when the schema is closed).',
    silenceable: true,
  },
  'preflight-list-position-target': {
    severity: 'error',
    why: "A DELETE whose target is taken from a fixed position of a list: a list's order and content are not guaranteed, so it may delete the wrong thing.",
    silenceable: true,
  },
  'preflight-create-without-cleanup': {
    severity: 'warning',
    why: 'A step creates something and later steps can fail with nothing to undo it (no x-compensation, no goto failure action): a run that stops halfway leaves it behind.',
    silenceable: true,
  },
  'preflight-status-only-verification': {
    severity: 'warning',
    why: 'A verification step reads a list but checks only its status code: a list answers 200 whatever it holds.',
    silenceable: true,
  },
  'preflight-one-time-value-lost': {
    severity: 'error / warning / hint, by evidence',
    why: 'An output captures a credential-like value that nothing delivers (no workflow output, no later step): when the run ends it is gone. Error when the call creates it and no GET of the description returns it; warning when a GET may show it again or its schema marks it secret; hint when only its name says so.',
    silenceable: true,
  },
  'preflight-channel-action-contradicts-operation': {
    severity: 'warning',
    why: "A channel step whose action is the AsyncAPI operation's own (and the operation has no reply). The workflow plays the counterpart of the application the description describes (the spec's example sends on an operation whose action is receive): a send there publishes where only the application is described as publishing, a receive waits for messages meant for the application. A warning: the description does not prove the run fails, and some descriptions are written from the other side.",
    silenceable: true,
  },
  'preflight-message-payload-mismatch': {
    severity: 'error',
    why: "A send step's payload, where written as literals, breaks the message's payload schema (a required property missing, a wrong type or enum value, a property a closed schema forbids): the consumer rejects or misreads the message after earlier steps ran.",
    silenceable: true,
  },
  'preflight-missing-message-header': {
    severity: 'error',
    why: "A send step supplies no `in: header` parameter for a header the message requires: the consumer rejects the message, and when that header is the message's correlation id the reply can never be matched to the run.",
    silenceable: true,
  },
  'preflight-unknown-message-pointer': {
    severity: 'error',
    why: "A channel step reads its message (`$message.payload#/...`, `$message.header.<name>`) where the AsyncAPI message's schema allows nothing: an output that reads nothing loses its value, and a criterion that reads nothing never accepts a message, so a receive waits until its timeout for a message it already had.",
    silenceable: true,
  },
  'preflight-undeclared-message-pointer': {
    severity: 'warning',
    why: "A channel step reads a part of its message the AsyncAPI message's schema does not declare but allows: the producer may send it, or the pointer is wrong (the closest declared one is suggested).",
    silenceable: true,
  },
  'preflight-undeclared-correlation-id': {
    severity: 'error',
    why: "A step has a correlationId but its AsyncAPI message declares no correlationId location: the runtime has nothing to compare it with, so a receive would take another run's message or never match.",
    silenceable: true,
  },
  'preflight-receive-without-timeout': {
    severity: 'error',
    why: 'A receive step without timeout waits for ever if the message never comes (a responder down, a correlation id nobody echoes), holding its lock, with nobody told. With a timeout the step fails and onFailure applies. Silence it only for a step that must wait indefinitely.',
    silenceable: true,
  },
  'preflight-unsupported-protocol': {
    severity: 'error',
    why: "A channel step's AsyncAPI server speaks a protocol no binding of this engine carries (Kafka today), or the description declares no server: the step cannot send or receive anything, and would fail after the steps before it ran.",
    silenceable: true,
  },
  'preflight-secret-lock-key': {
    severity: 'error',
    why: 'x-lock-key reads a secret input: a lock key becomes a workflow id, stored and shown in clear. Not silenceable.',
    silenceable: false,
  },
  'preflight-managed-mapping': {
    severity: 'error',
    why: "x-managed names an input or output the workflow does not declare, or a secret one: a managed credential applies the mapping only after a rotation completed (the old identifier already revoked), so a wrong mapping leaves it pointing at nothing one rotation period later, and a secret would be kept in clear. Not silenceable: fix or remove the workflow's x-managed.",
    silenceable: false,
  },
  'preflight-internal-error': {
    severity: 'error',
    why: 'A rule failed on a step: that step is unchecked, so the run must not be trusted as checked. Not silenceable; please report it.',
    silenceable: false,
  },
  'preflight-unknown-workflow': {
    severity: 'error',
    why: 'The workflow asked for does not exist in the document. Not silenceable.',
    silenceable: false,
  },
  'preflight-ignore-unknown': {
    severity: 'error',
    why: 'A silencing entry names a step or code that does not exist, or a code that cannot be silenced: a typo must not silence something else. Not silenceable.',
    silenceable: false,
  },
};

/** The text `check --explain <code>` prints, or undefined for a code that is not a pre-flight rule's. */
export function explainCode(code: string): string | undefined {
  const rule = PREFLIGHT_EXPLANATIONS[code];
  if (!rule) return undefined;
  const lines = [`${code} (${rule.severity})`, '', rule.why, ''];
  if (rule.silenceable) {
    lines.push(
      'To silence it for one step, when you have checked that the finding does not apply there:',
      `  - in the document, on the step:   x-preflight-ignore: [${code}]`,
      `  - from outside, for one check:    arazzo-temporal check <document> --ignore <stepId>:${code}`,
      `  - in a run's input:               "preflightIgnore": ["<stepId>:${code}"]`,
      'There is no switch that silences it for every step.',
    );
  } else {
    lines.push('This finding cannot be silenced.');
  }
  return lines.join('\n');
}

const ENTRY = /^([^:\s]+):(preflight-[a-z-]+)$/;

/**
 * Drops the findings the document's `x-preflight-ignore` and the given `<stepId>:<code>` entries silence,
 * and reports entries that silence nothing that exists (`report`).
 */
export function applySilencing(
  findings: Finding[],
  workflows: readonly WorkflowNode[],
  ignore: readonly string[],
  report: (finding: {
    code: string;
    message: string;
    hint?: string;
    pointer: string;
    severity?: 'error' | 'warning';
  }) => void,
): Finding[] {
  const silenced = new Set<string>();
  const key = (workflowId: string | undefined, stepId: string | undefined, code: string) =>
    `${workflowId ?? ''}\0${stepId ?? ''}\0${code}`;
  const stepsById = new Map<string, Array<{ workflowId?: string; stepId: string }>>();
  for (const workflow of workflows) {
    for (const step of stepsOf(workflow)) {
      if (step.stepId === undefined) continue;
      const list = stepsById.get(step.stepId) ?? [];
      list.push({ workflowId: workflow.workflowId, stepId: step.stepId });
      stepsById.set(step.stepId, list);
      const own = isObject(step.step) ? step.step['x-preflight-ignore'] : undefined;
      if (own === undefined) continue;
      const codes = Array.isArray(own) ? own : [own];
      codes.forEach((code, index) => {
        const rule = typeof code === 'string' ? PREFLIGHT_EXPLANATIONS[code] : undefined;
        if (!rule?.silenceable) {
          report({
            code: 'preflight-ignore-unknown',
            severity: 'warning',
            message: `x-preflight-ignore: ${JSON.stringify(code)} is not a pre-flight code that can be silenced; nothing is silenced by it`,
            hint: 'see `arazzo-temporal check --explain <code>` for the codes',
            pointer: `${step.pointer}/x-preflight-ignore${Array.isArray(own) ? `/${index}` : ''}`,
          });
          return;
        }
        silenced.add(key(workflow.workflowId, step.stepId, code as string));
      });
    }
  }
  for (const entry of ignore) {
    const match = ENTRY.exec(entry);
    const rule = match ? PREFLIGHT_EXPLANATIONS[match[2]] : undefined;
    const steps = match ? stepsById.get(match[1]) : undefined;
    if (!match || !rule?.silenceable || !steps) {
      report({
        code: 'preflight-ignore-unknown',
        message: `ignore "${entry}" silences nothing: ${
          !match
            ? 'it is not <stepId>:<code>'
            : !rule?.silenceable
              ? `${match[2]} is not a pre-flight code that can be silenced`
              : `no step is called ${match[1]}`
        }`,
        hint: 'write <stepId>:<code> for a step of this document; codes: arazzo-temporal check --explain <code>',
        pointer: '',
      });
      continue;
    }
    for (const step of steps) silenced.add(key(step.workflowId, step.stepId, match[2]));
  }
  return findings.filter((f) => !silenced.has(key(f.workflowId, f.stepId, f.code)));
}
