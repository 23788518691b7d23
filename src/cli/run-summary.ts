// What the Web UI shows for a run before it has done anything: a one-line static summary (title,
// workflow, the key non-secret inputs) and static details (every input, secrets as references or masked).
import { maskValue } from '../arazzo/secrets/mask.js';
import { isSecretRef } from '../arazzo/secrets/refs.js';

/** The Web UI's summary is meant to stay under about 200 bytes. */
const SUMMARY_LIMIT = 200;

export interface SummaryParts {
  title: string;
  workflowId: string;
  inputs: Record<string, unknown>;
  secretInputs: ReadonlySet<string>;
}

export function staticSummary({ title, workflowId, inputs, secretInputs }: SummaryParts): string {
  const key = Object.entries(inputs)
    .filter(([name, v]) => !secretInputs.has(name) && ['string', 'number', 'boolean'].includes(typeof v))
    .map(([name, v]) => `${name}=${String(v)}`)
    .filter((pair) => pair.length <= 60);
  const text = `${title} — ${workflowId}${key.length ? ` (${key.join(', ')})` : ''}`;
  return truncateBytes(text, SUMMARY_LIMIT);
}

export function staticDetails(parts: SummaryParts & { document: string; startedBy: string }): string {
  const lines = [
    `**${parts.title}**`,
    '',
    `Arazzo workflow \`${parts.workflowId}\` from \`${parts.document}\`, started by ${parts.startedBy} with arazzo-temporal.`,
    '',
    'Inputs:',
  ];
  for (const [name, value] of Object.entries(parts.inputs))
    lines.push(`- \`${name}\`: ${shown(name, value, parts.secretInputs)}`);
  return lines.join('\n');
}

/** An input as it may be displayed: secret references by name, secret literals masked. */
export function shown(name: string, value: unknown, secretInputs: ReadonlySet<string>): string {
  if (isSecretRef(value)) return `secret reference \`${value.$secret}\``;
  if (secretInputs.has(name)) return maskValue(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function truncateBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  let out = text;
  while (Buffer.byteLength(`${out}…`) > limit) out = out.slice(0, -1);
  return `${out}…`;
}
