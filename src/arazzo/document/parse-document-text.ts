import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Finding } from '../model.js';
import { toPointer } from './json-pointer.js';
import { emptySourceMap, type Position, type SourceMap } from './source-map.js';

/** The most alias expansions a document may need (the yaml library's count). */
const MAX_ALIAS_COUNT = 1000;

export interface ParsedText {
  /** The plain JSON-compatible value; `undefined` when the text had syntax errors. */
  value: unknown;
  sourceMap: SourceMap;
  /** YAML/JSON syntax errors (and warnings) with their position. */
  findings: Finding[];
}

/**
 * Parses YAML or JSON (JSON is YAML 1.2) keeping where every node was written, so that findings
 * about any value can point at `file:line:column`.
 */
export function parseDocumentText(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  // Duplicate keys are found in the walk below: the library's own check compares each key with every
  // earlier key of its map (quadratic: a map of 40,000 keys took minutes).
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const sourceMap = emptySourceMap(file);
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const findings: Finding[] = [];
  for (const [severity, problems] of [
    ['error', document.errors],
    ['warning', document.warnings],
  ] as const) {
    for (const problem of problems) {
      const at = position(problem.pos[0]);
      findings.push({
        severity,
        code: severity === 'error' ? 'yaml-syntax' : 'yaml-warning',
        message: firstLine(problem.message),
        hint: severity === 'error' ? 'fix the YAML/JSON syntax at this position' : undefined,
        file,
        line: at.line,
        column: at.column,
        pointer: '',
      });
    }
  }
  if (document.errors.length > 0) return { value: undefined, sourceMap, findings };

  // Walk the node tree once, recording each node's start under its pointer.
  const visited = new Set<Node>();
  // Anchors seen so far, in document order (an alias always follows its anchor). The library's own
  // Alias.resolve(document) re-walks the whole document per alias: quadratic on alias-heavy files.
  const anchors = new Map<string, Node>();
  let firstAlias: number | undefined;
  const walk = (node: unknown, segments: Array<string | number>): void => {
    if (isAlias(node) && firstAlias === undefined) firstAlias = node.range?.[0];
    const resolved = isAlias(node) ? anchors.get(node.source) : node;
    const anchor = (resolved as { anchor?: string } | undefined)?.anchor;
    if (!isAlias(node) && anchor) anchors.set(anchor, resolved as Node);
    if (!resolved || typeof resolved !== 'object' || !('range' in resolved)) return;
    const pointer = toPointer(segments);
    const range = (resolved as Node).range;
    if (range) sourceMap.values[pointer] = position(range[0]);
    // An alias points back at a node already walked elsewhere: record its position, never loop.
    if (visited.has(resolved as Node)) return;
    visited.add(resolved as Node);
    if (isMap(resolved)) {
      const seen = new Set<string>();
      for (const pair of resolved.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childSegments = [...segments, key];
        const keyRange = (pair.key as Node | null)?.range;
        if (seen.has(key)) duplicateKeyAt(keyRange?.[0] ?? range?.[0] ?? 0);
        seen.add(key);
        if (keyRange) sourceMap.keys[toPointer(childSegments)] = position(keyRange[0]);
        if (pair.value === null || pair.value === undefined) {
          // `key:` with nothing after it is null; locate it at the key.
          if (keyRange) sourceMap.values[toPointer(childSegments)] = position(keyRange[0]);
        } else {
          walk(pair.value, childSegments);
        }
      }
    } else if (isSeq(resolved)) {
      resolved.items.forEach((item, index) => {
        walk(item, [...segments, index]);
      });
    }
  };
  const duplicateKeyAt = (offset: number) => {
    const at = position(offset);
    findings.push({
      severity: 'error',
      code: 'yaml-syntax',
      message: 'Map keys must be unique',
      hint: 'fix the YAML/JSON syntax at this position',
      file,
      line: at.line,
      column: at.column,
      pointer: '',
    });
  };
  walk(document.contents, []);
  if (findings.some((f) => f.severity === 'error')) return { value: undefined, sourceMap, findings };

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The library refuses to expand too many aliases (exponential "billion laughs" documents) by
    // throwing; that is a property of the text, so it is reported like a syntax error.
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    const at = position(firstAlias ?? 0);
    findings.push({
      severity: 'error',
      code: 'yaml-alias-limit',
      message: `more than ${MAX_ALIAS_COUNT} aliases to expand (an alias bomb, "billion laughs"?): not loaded`,
      hint: 'use fewer aliases (*name) or write the repeated values out',
      file,
      line: at.line,
      column: at.column,
      pointer: '',
    });
    return { value: undefined, sourceMap, findings };
  }
  return { value, sourceMap, findings };
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
