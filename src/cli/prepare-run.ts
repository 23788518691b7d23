// Everything `start` and `schedule` need before talking to Temporal: the document (read locally to
// choose the workflow and understand its inputs), the parsed inputs, and the interpreter's input.
// Mistakes the worker would refuse (unknown workflow, missing inputs) are reported here, at once.
import { userInfo } from 'node:os';
import type { ArazzoDocument, Workflow } from '../arazzo/model.js';
import { isSecretSchema } from '../arazzo/secrets/mask.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';
import { hasErrors, validateDocumentSet, validateInputs } from '../arazzo/validate/index.js';
import type { ArazzoRunInput } from '../workflows/types.js';
import { commandPath, resolveRunDocument } from './document-path.js';
import { CliError, UsageError } from './errors.js';
import { warn } from './output.js';
import { parseDeliveries, parseInputs, parseServers } from './parse-inputs.js';
import { documentRootFrom } from './project-paths.js';
import { loadFromDisk } from './read-document.js';
import type { RunFlags } from './run-flags.js';
import { staticDetails, staticSummary } from './run-summary.js';
import { showFindings } from './show-findings.js';
import { inputProperties } from './workflow-inputs.js';

export interface PreparedRun {
  input: ArazzoRunInput;
  workflowId: string;
  /** What the Web UI shows for the run from its first second (src/cli/run-summary.ts). */
  summary: string;
  details: string;
  /** The inputs that are secret (schema or name), and the workflow's `x-lock-key` template: for `manage`. */
  secretInputs: string[];
  lockKeyTemplate?: string;
  /** The workflow declares `x-managed`: each run revokes what the next must be given (a rotation). */
  declaresManaged: boolean;
}

/**
 * Reads and checks the document and the run's inputs, and warns about every secret given in plain
 * text, which would be stored in `storedIn` (the run's history, the schedule).
 */
export async function prepareRun(document: string, flags: RunFlags, storedIn: string): Promise<PreparedRun> {
  const location = resolveRunDocument(document, documentRootFrom(flags.documentRoot));
  const set = await loadFromDisk(location.local);
  const doc = set.entry.document;
  const findings = validateDocumentSet(set);
  if (!doc || hasErrors(findings)) {
    // The same lines `check` prints: what is wrong and where, not just that something is.
    const errors = findings.filter((f) => f.severity === 'error').length;
    throw new CliError(
      `${document} is not a valid Arazzo document (${errors} error${errors === 1 ? '' : 's'}); no run was started:\n${showFindings(findings)}`,
      `run: arazzo-temporal check ${commandPath(location.local)}`,
    );
  }
  const workflow = chooseWorkflow(doc, flags.workflow);
  const properties = inputProperties(workflow, doc);
  const inputs = parseInputs(flags.input, properties);
  checkInputs(workflow, doc, inputs, location.local);
  const stepIds = new Set(workflow.steps.map((s) => s.stepId));
  for (const step of flags.approveSteps) {
    if (!stepIds.has(step))
      throw new UsageError(
        `--approve-steps ${step}: workflow ${workflow.workflowId} has no such step`,
        `steps: ${[...stepIds].join(', ')}`,
      );
  }
  const secretInputs = new Set(Object.keys(properties).filter((n) => isSecretSchema(n, properties[n])));
  for (const name of Object.keys(inputs)) if (isSecretSchema(name, properties[name])) secretInputs.add(name);
  const asyncSources = new Set(
    (doc.sourceDescriptions ?? []).filter((source) => source.type === 'asyncapi').map((source) => source.name),
  );
  const servers = parseServers(flags.server, asyncSources);
  const deliver = parseDeliveries(flags.deliver);
  const input: ArazzoRunInput = {
    document: location.sent,
    workflowId: workflow.workflowId,
    inputs,
    ...(Object.keys(servers).length ? { servers } : {}),
    ...(Object.keys(deliver).length ? { deliver } : {}),
    ...(flags.approveSteps.length ? { approval: { steps: [...flags.approveSteps] } } : {}),
  };
  for (const name of Object.keys(inputs).filter((n) => secretInputs.has(n) && !isSecretRef(inputs[n]))) {
    warn(
      `warning: input ${name} is a secret given in plain text; it is stored in ${storedIn}. Prefer a reference: --input '${name}={"$secret":"env:NAME"}'`,
    );
  }
  const parts = { title: doc.info.title, workflowId: workflow.workflowId, inputs, secretInputs };
  return {
    input,
    workflowId: workflow.workflowId,
    summary: staticSummary(parts),
    details: staticDetails({ ...parts, document: location.sent, startedBy: startedBy() }),
    secretInputs: [...secretInputs],
    lockKeyTemplate: typeof workflow['x-lock-key'] === 'string' ? workflow['x-lock-key'] : undefined,
    declaresManaged: (workflow as unknown as Record<string, unknown>)['x-managed'] !== undefined,
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
function checkInputs(workflow: Workflow, doc: ArazzoDocument, inputs: Record<string, unknown>, path: string) {
  const references = new Set(Object.keys(inputs).filter((n) => isSecretRef(inputs[n])));
  const checked = validateInputs(workflow, inputs, doc.components);
  if (checked.ok) return;
  const errors = checked.errors.filter((e) => !references.has(e.input));
  if (errors.length) {
    throw new UsageError(
      `inputs for workflow ${workflow.workflowId} are not valid: ${errors.map((e) => e.message).join('; ')}`,
      `see the inputs with: arazzo-temporal list ${commandPath(path)}`,
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
