// `list`: what a document offers, to decide what to start: its workflows, their inputs (type, required,
// secret) and their steps.
import { Command } from 'commander';
import type { ArazzoDocument, Workflow } from '../../arazzo/model.js';
import { commandPath } from '../document-path.js';
import { CliError } from '../errors.js';
import { out, printJson } from '../output.js';
import { isSecretSchema } from '../../arazzo/secrets/mask.js';
import { type InputSchema, inputProperties, requiredInputs } from '../workflow-inputs.js';

interface DocumentDescription {
  document: string;
  title: string;
  workflows: Array<{
    workflowId: string;
    summary?: string;
    inputs: Array<{ name: string; type: string; required: boolean; secret: boolean; description?: string }>;
    steps: Array<{ stepId: string; target: string; description?: string }>;
    outputs: string[];
  }>;
}

export function listCommand(): Command {
  return new Command('list')
    .description("a document's workflows, their inputs (type, required, secret) and steps")
    .argument('<document>', 'Arazzo document (path or http(s) URL)')
    .option('--json', 'machine-readable output', false)
    .action(async (document: string, o: { json: boolean }) => {
      const description = await describeDocument(document);
      if (o.json) printJson(description);
      else out(render(description));
    });
}

async function describeDocument(document: string): Promise<DocumentDescription> {
  // Loaded on use, like every command's heavy dependencies (see program.ts).
  const [{ loadFromDisk }, { hasErrors, validateDocumentSet }, { formatFindings }] = await Promise.all([
    import('../read-document.js'),
    import('../../arazzo/validate/index.js'),
    import('../../arazzo/format-finding.js'),
  ]);
  const set = await loadFromDisk(document);
  const findings = validateDocumentSet(set);
  const doc = set.entry.document;
  if (!doc || hasErrors(findings)) {
    const errors = findings.filter((f) => f.severity === 'error');
    throw new CliError(
      `${document} is not a valid Arazzo document (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${formatFindings(errors.slice(0, 5))}`,
      `run: arazzo-temporal check ${commandPath(document)}`,
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
        target: s.action
          ? `${s.action} ${s.channelPath ?? s.operationId ?? s.operationPath ?? '?'}`
          : (s.operationId ?? s.operationPath ?? (s.workflowId ? `workflow ${s.workflowId}` : '?')),
        description: s.description,
      })),
      outputs: Object.keys(w.outputs ?? {}),
    })),
  };
}

export function describeInputs(workflow: Workflow, document: ArazzoDocument) {
  const required = new Set(requiredInputs(workflow, document));
  return Object.entries(inputProperties(workflow, document)).map(([name, schema]) => ({
    name,
    type: typeOf(schema),
    required: required.has(name),
    secret: isSecretSchema(name, schema),
    description: typeof schema.description === 'string' ? schema.description.replace(/\s+/g, ' ').trim() : undefined,
  }));
}

function typeOf(schema: InputSchema): string {
  const type = Array.isArray(schema.type) ? schema.type.join('|') : (schema.type as string | undefined);
  if (type === 'array') {
    const items = schema.items as InputSchema | undefined;
    return `array<${items ? typeOf(items) : 'any'}>`;
  }
  if (schema.enum && Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join('|');
  return type ?? 'any';
}

function render(d: DocumentDescription): string {
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
