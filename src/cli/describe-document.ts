// `list`: what a document offers, to decide what to start: its workflows, their inputs (type, required,
// secret) and their steps.
import { hasErrors, validateDocumentSet } from '../arazzo/validate/index.js';
import { CliError } from './errors.js';
import { loadFromDisk } from './read-document.js';
import { describeInputs, type InputDescription } from './workflow-inputs.js';
import { formatFindings } from '../arazzo/format-finding.js';

export interface WorkflowDescription {
  workflowId: string;
  summary?: string;
  inputs: InputDescription[];
  steps: Array<{ stepId: string; target: string; description?: string }>;
  outputs: string[];
}

export interface DocumentDescription {
  document: string;
  title: string;
  workflows: WorkflowDescription[];
}

export async function describeDocument(document: string): Promise<DocumentDescription> {
  const set = await loadFromDisk(document);
  const findings = validateDocumentSet(set);
  const doc = set.entry.document;
  if (!doc || hasErrors(findings)) {
    const errors = findings.filter((f) => f.severity === 'error');
    throw new CliError(
      `${document} is not a valid Arazzo document (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${formatFindings(errors.slice(0, 5))}`,
      `run: arazzo-temporal check ${document}`,
    );
  }
  return {
    document,
    title: doc.info.title,
    workflows: doc.workflows.map((w) => ({
      workflowId: w.workflowId,
      summary: w.summary,
      inputs: describeInputs(w, doc),
      steps: w.steps.map((s) => ({
        stepId: s.stepId,
        target: s.operationId ?? s.operationPath ?? (s.workflowId ? `workflow ${s.workflowId}` : '?'),
        description: s.description,
      })),
      outputs: Object.keys(w.outputs ?? {}),
    })),
  };
}

export function renderDocumentDescription(d: DocumentDescription): string {
  const lines = [`${d.document}: ${d.title}`];
  for (const w of d.workflows) {
    lines.push('', `workflow ${w.workflowId}${w.summary ? ` — ${w.summary}` : ''}`);
    lines.push('  inputs:');
    if (!w.inputs.length) lines.push('    (none)');
    for (const i of w.inputs) {
      const flags = [i.required ? 'required' : 'optional', ...(i.secret ? ['secret'] : [])].join(', ');
      lines.push(`    ${i.name}: ${i.type} (${flags})`);
    }
    lines.push('  steps:');
    w.steps.forEach((s, n) => {
      lines.push(`    ${n + 1}. ${s.stepId} → ${s.target}`);
    });
    if (w.outputs.length) lines.push(`  outputs: ${w.outputs.join(', ')}`);
  }
  return lines.join('\n');
}
