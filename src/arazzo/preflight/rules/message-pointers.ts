// A channel step's reads of its message (`$message.payload#/<pointer>`, `$message.header.<name>` in
// its outputs and successCriteria) against the AsyncAPI message's payload and headers schemas:
// - preflight-unknown-message-pointer (error): the schema makes the read impossible (every object on
//   the way is closed by additionalProperties/unevaluatedProperties: false): an output that reads
//   nothing loses its value, a criterion that reads nothing never accepts a message (a receive then
//   waits until its timeout for a message it already had).
// - preflight-undeclared-message-pointer (warning): the schema does not declare it but allows other
//   properties: the producer may send it, or the pointer is wrong (the closest declared one is named).
import { parsePointer, toPointer } from '../../document/json-pointer.js';
import { isObject } from '../../validate/document-walk.js';
import type { PreflightContext, StepTarget } from '../context.js';
import { closestPointer, pointerStatus } from '../schema-paths.js';

const PAYLOAD_READ = /\$message\.payload#(\/[^\s'"`=!<>&|(),{}]*)?/g;
const HEADER_READ = /\$message\.header\.([A-Za-z0-9!#$%&'*+.^_`|~-]+)/g;

interface Read {
  text: string;
  pointer: string;
}

function readsIn(step: Record<string, unknown>, base: string): Read[] {
  const reads: Read[] = [];
  if (isObject(step.outputs)) {
    for (const [name, value] of Object.entries(step.outputs)) {
      if (typeof value === 'string') reads.push({ text: value, pointer: `${base}/outputs/${name}` });
    }
  }
  if (Array.isArray(step.successCriteria)) {
    step.successCriteria.forEach((criterion, index) => {
      if (!isObject(criterion)) return;
      for (const field of ['condition', 'context'] as const) {
        const text = criterion[field];
        if (typeof text === 'string') reads.push({ text, pointer: `${base}/successCriteria/${index}/${field}` });
      }
    });
  }
  return reads;
}

export function checkMessagePointers(ctx: PreflightContext, target: StepTarget): void {
  const { channel, stepNode } = target;
  const message = channel?.message;
  if (!message) return;
  for (const read of readsIn(stepNode.step, stepNode.pointer)) {
    if (message.payload !== undefined) {
      for (const match of read.text.matchAll(PAYLOAD_READ)) {
        let segments: string[];
        try {
          segments = parsePointer(match[1] ?? '');
        } catch {
          continue; // validation reports a malformed pointer
        }
        const status = pointerStatus([message.payload], segments);
        if (status === 'found') continue;
        const closest = closestPointer([message.payload], segments);
        const possible = status === 'possible';
        ctx.report({
          code: possible ? 'preflight-undeclared-message-pointer' : 'preflight-unknown-message-pointer',
          severity: possible ? 'warning' : 'error',
          message: `\`${match[0]}\` is not ${possible ? 'declared' : 'possible'} in the payload of message "${message.name}"${possible ? ' (its schema allows undeclared properties)' : ' (its schema allows no other properties)'}`,
          hint: closest ? `did you mean \`$message.payload#${toPointer(closest)}\`?` : undefined,
          pointer: read.pointer,
        });
      }
    }
    if (isObject(message.headers) && isObject(message.headers.properties)) {
      const declared = Object.keys(message.headers.properties);
      const closed = message.headers.additionalProperties === false;
      for (const match of read.text.matchAll(HEADER_READ)) {
        const name = match[1];
        if (declared.some((header) => header.toLowerCase() === name.toLowerCase())) continue;
        ctx.report({
          code: closed ? 'preflight-unknown-message-pointer' : 'preflight-undeclared-message-pointer',
          severity: closed ? 'error' : 'warning',
          message: `\`${match[0]}\`: message "${message.name}" declares no header "${name}"`,
          hint: `its headers: ${declared.join(', ') || '(none)'}`,
          pointer: read.pointer,
        });
      }
    }
  }
}
