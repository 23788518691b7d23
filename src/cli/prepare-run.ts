// Everything `start` and `schedule` need before talking to Temporal: the document (read locally to
// choose the workflow and understand its inputs), the parsed inputs, and the interpreter's input.
// Mistakes the worker would refuse (unknown workflow, missing inputs) are reported here, at once.
import { userInfo } from 'node:os';
import type { ArazzoDocument, Workflow } from '../arazzo/model.js';
import { isSecretSchema } from '../arazzo/secrets/mask.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';
import { hasErrors, validateDocumentSet, validateInputs } from '../arazzo/validate/index.js';
import type { ArazzoRunInput } from '../workflows/types.js';
import { CliError, UsageError } from './errors.js';
import { parseDeliveries, parseInputs, parseServers } from './parse-inputs.js';
import { resolveRunDocument } from './document-path.js';
import { loadFromDisk } from './read-document.js';
import { staticDetails, staticSummary } from './run-summary.js';
import { inputProperties } from './secret-inputs.js';

export interface RunRequest {
  document: string;
  documentRoot: string;
  workflowId?: string;
  inputs: readonly string[];
  servers: readonly string[];
  approveSteps: readonly string[];
  /** `output=sink:name`: secret outputs the worker delivers instead of keeping them in history. */
  deliver?: readonly string[];
}

export interface PreparedRun {
  input: ArazzoRunInput;
  title: string;
  workflowId: string;
  summary: string;
  details: string;
  /** Secret inputs given as plain text rather than `{"$secret": ...}` references. */
  plainSecrets: string[];
}

export async function prepareRun(request: RunRequest): Promise<PreparedRun> {
  const location = resolveRunDocument(request.document, request.documentRoot);
  const set = await loadFromDisk(location.local);
  const doc = set.entry.document;
  if (!doc || hasErrors(validateDocumentSet(set))) {
    throw new CliError(
      `${request.document} is not a valid Arazzo document`,
      `run: arazzo-temporal check ${request.document}`,
    );
  }
  const workflow = chooseWorkflow(doc, request.workflowId);
  const properties = inputProperties(workflow, doc);
  const inputs = parseInputs(request.inputs, properties);
  checkInputs(workflow, doc, inputs);
  const stepIds = new Set(workflow.steps.map((s) => s.stepId));
  for (const step of request.approveSteps) {
    if (!stepIds.has(step))
      throw new UsageError(
        `--approve-steps ${step}: workflow ${workflow.workflowId} has no such step`,
        `steps: ${[...stepIds].join(', ')}`,
      );
  }
  const secretInputs = new Set(Object.keys(properties).filter((n) => isSecretSchema(n, properties[n])));
  for (const name of Object.keys(inputs)) if (isSecretSchema(name, properties[name])) secretInputs.add(name);
  const servers = parseServers(request.servers);
  const deliver = parseDeliveries(request.deliver ?? []);
  const input: ArazzoRunInput = {
    document: location.sent,
    workflowId: workflow.workflowId,
    inputs,
    ...(Object.keys(servers).length ? { servers } : {}),
    ...(Object.keys(deliver).length ? { deliver } : {}),
    ...(request.approveSteps.length ? { approval: { steps: [...request.approveSteps] } } : {}),
  };
  const parts = { title: doc.info.title, workflowId: workflow.workflowId, inputs, secretInputs };
  return {
    input,
    title: doc.info.title,
    workflowId: workflow.workflowId,
    summary: staticSummary(parts),
    details: staticDetails({ ...parts, document: location.sent, startedBy: startedBy() }),
    plainSecrets: Object.keys(inputs).filter((n) => secretInputs.has(n) && !isSecretRef(inputs[n])),
  };
}

function chooseWorkflow(doc: ArazzoDocument, workflowId: string | undefined): Workflow {
  if (workflowId === undefined) return doc.workflows[0];
  const found = doc.workflows.find((w) => w.workflowId === workflowId);
  if (!found) {
    throw new UsageError(
      `--workflow ${workflowId}: no such workflow`,
      `workflows: ${doc.workflows.map((w) => w.workflowId).join(', ')}`,
    );
  }
  return found;
}

/** The worker validates again (after resolving secret references); here only what the CLI can see. */
function checkInputs(workflow: Workflow, doc: ArazzoDocument, inputs: Record<string, unknown>) {
  const references = new Set(Object.keys(inputs).filter((n) => isSecretRef(inputs[n])));
  const checked = validateInputs(workflow, inputs, doc.components);
  if (checked.ok) return;
  const errors = checked.errors.filter((e) => !references.has(e.input));
  if (errors.length) {
    throw new UsageError(
      `inputs for workflow ${workflow.workflowId} are not valid: ${errors.map((e) => e.message).join('; ')}`,
      `see the inputs with: arazzo-temporal list <document>`,
    );
  }
}

function startedBy(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
