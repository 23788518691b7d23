import type { DocumentSet } from '../document/document-set.js';
import { getAtPointer, parsePointer } from '../document/json-pointer.js';
import { locate, type SourceMap } from '../document/source-map.js';
import type { Finding } from '../model.js';
import { isObject } from './document-walk.js';

/** What a rule reports; location, workflowId and stepId are filled in from the pointer. */
export interface Report {
  severity?: Finding['severity'];
  code: string;
  message: string;
  hint?: string;
  pointer: string;
}

/** Everything a semantic rule reads, and the one way it reports. */
export interface RuleContext {
  set: DocumentSet;
  /** The entry document, unvalidated. */
  document: unknown;
  sourceMap: SourceMap;
  strict: boolean;
  report(report: Report): void;
  findings: Finding[];
}

export function createRuleContext(set: DocumentSet, strict: boolean): RuleContext {
  const findings: Finding[] = [];
  const document = set.entry.document;
  const sourceMap = set.entry.sourceMap;
  return {
    set,
    document,
    sourceMap,
    strict,
    findings,
    report: (report) => findings.push(toFinding(document, sourceMap, report)),
  };
}

export function toFinding(document: unknown, sourceMap: SourceMap, report: Report): Finding {
  const finding: Finding = {
    severity: report.severity ?? 'error',
    code: report.code,
    message: report.message,
    ...(report.hint !== undefined ? { hint: report.hint } : {}),
    ...locate(sourceMap, report.pointer),
    pointer: report.pointer,
  };
  return { ...finding, ...idsAt(document, report.pointer) };
}

/** The workflowId and stepId enclosing `pointer`, when it is inside a workflow or step. */
function idsAt(document: unknown, pointer: string): { workflowId?: string; stepId?: string } {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return {};
  }
  if (segments[0] !== 'workflows' || segments.length < 2) return {};
  const ids: { workflowId?: string; stepId?: string } = {};
  const workflow = getAtPointer(document, segments.slice(0, 2));
  if (isObject(workflow) && typeof workflow.workflowId === 'string') ids.workflowId = workflow.workflowId;
  if (segments[2] === 'steps' && segments.length >= 4) {
    const step = getAtPointer(document, segments.slice(0, 4));
    if (isObject(step) && typeof step.stepId === 'string') ids.stepId = step.stepId;
  }
  return ids;
}
