import type { SourceLocation } from '../model.js';
import { parsePointer, toPointer } from './json-pointer.js';

/** A 1-based line and column in the source text. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Where every node of a parsed document was written. `values` holds the start of each node; `keys`
 * holds, for members of a mapping, where their key was written (a block mapping or sequence value
 * starts on the line after its key, so the key is the better place to point a reader at).
 */
export interface SourceMap {
  file: string;
  values: Record<string, Position>;
  keys: Record<string, Position>;
}

export function emptySourceMap(file: string): SourceMap {
  return { file, values: {}, keys: {} };
}

/**
 * The location to report for `pointer`. A pointer that does not exist in the document (a missing
 * property, say) falls back to its nearest existing ancestor, so every finding gets a position.
 * Scalars are located at their value; collections at their key when they have one.
 */
export function locate(sourceMap: SourceMap, pointer: string): SourceLocation {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    segments = [];
  }
  for (let length = segments.length; length >= 0; length--) {
    const candidate = toPointer(segments.slice(0, length));
    const key = sourceMap.keys[candidate];
    const value = sourceMap.values[candidate];
    if (key && value && value.line !== key.line) return { file: sourceMap.file, ...key };
    if (value) return { file: sourceMap.file, ...value };
    if (key) return { file: sourceMap.file, ...key };
  }
  return { file: sourceMap.file, line: 1, column: 1 };
}
