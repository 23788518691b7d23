// Comparison semantics shared by `simple` conditions and the jsonpath comparison form
// (`$.status == "active"`). The spec only says "loose comparisons" and "string comparisons MUST be
// case insensitive"; the rest is decided here, once:
//  - a missing value (`undefined`) compares as `null`, so `$response.body#/token == null` holds
//    when the property is absent as well as when it is JSON null;
//  - number vs string: the string is read as a number if it is entirely one (`"200" == 200`, as
//    header values are strings); otherwise they are not equal and not ordered;
//  - boolean vs string: `"true"` / `"false"` (any case) compare as booleans; boolean vs number never
//    equal (no `1 == true`);
//  - string vs string: equality and ordering after lower-casing (code-unit order);
//  - arrays/objects: structural equality with the same rules; never ordered;
//  - `<`, `<=`, `>`, `>=` between anything not comparable (null, booleans, mixed) are false.
import type { CriterionResult } from './types.js';
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Explanations quote found values up to this many characters. */
export const MAX_PREVIEW = 200;

function numericString(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  // Only plain decimal notation counts (no hex, no `Infinity`), so `"0x10"` stays a string.
  let i = 0;
  if (t[i] === '-' || t[i] === '+') i++;
  let digits = 0;
  while (t[i] >= '0' && t[i] <= '9') {
    i++;
    digits++;
  }
  if (t[i] === '.') {
    i++;
    while (t[i] >= '0' && t[i] <= '9') {
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if (t[i] === 'e' || t[i] === 'E') {
    i++;
    if (t[i] === '-' || t[i] === '+') i++;
    const from = i;
    while (t[i] >= '0' && t[i] <= '9') i++;
    if (i === from) return undefined;
  }
  if (i !== t.length) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function booleanString(s: string): boolean | undefined {
  const l = s.trim().toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

export function looseEquals(a: unknown, b: unknown, depth = 0): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === null || y === null) return x === y;
  if (typeof x === 'number' && typeof y === 'number') return x === y;
  if (typeof x === 'number' && typeof y === 'string') return numericString(y) === x;
  if (typeof x === 'string' && typeof y === 'number') return numericString(x) === y;
  if (typeof x === 'string' && typeof y === 'string') return x.toLowerCase() === y.toLowerCase();
  if (typeof x === 'boolean' && typeof y === 'boolean') return x === y;
  if (typeof x === 'boolean' && typeof y === 'string') return booleanString(y) === x;
  if (typeof x === 'string' && typeof y === 'boolean') return booleanString(x) === y;
  if (depth > 64 || typeof x !== 'object' || typeof y !== 'object') return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((v, i) => looseEquals(v, y[i], depth + 1));
  }
  const kx = Object.keys(x as object);
  const ky = Object.keys(y as object);
  return (
    kx.length === ky.length &&
    kx.every(
      (k) =>
        Object.hasOwn(y as object, k) &&
        looseEquals((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], depth + 1),
    )
  );
}

/** -1/0/1, or undefined when the two values are not ordered. */
export function looseOrder(a: unknown, b: unknown): number | undefined {
  let x: unknown = a;
  let y: unknown = b;
  if (typeof x === 'number' && typeof y === 'string') y = numericString(y);
  else if (typeof x === 'string' && typeof y === 'number') x = numericString(x);
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === 'string' && typeof y === 'string') {
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    return lx < ly ? -1 : lx > ly ? 1 : 0;
  }
  return undefined;
}

export function compareValues(op: ComparisonOperator, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return looseEquals(a, b);
    case '!=':
      return !looseEquals(a, b);
    default: {
      const o = looseOrder(a, b);
      if (o === undefined) return false;
      return op === '<' ? o < 0 : op === '<=' ? o <= 0 : op === '>' ? o > 0 : o >= 0;
    }
  }
}

/** `a op b` is the same as `b mirror(op) a`. */
export function mirror(op: ComparisonOperator): ComparisonOperator {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

/**
 * Truthiness of a lone operand (`$steps.a.outputs.ok && ...`, `!$x`): false for `false`, `null`,
 * absent, `0`, `NaN`, `''` and the string `'false'` (any case); true for everything else.
 */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v !== '' && v.trim().toLowerCase() !== 'false';
  return true;
}

/**
 * A bounded rendering of a value for explanations: JSON-like, never longer than `max` characters,
 * and never walking more of a huge value than it prints.
 */
export function preview(value: unknown, max = MAX_PREVIEW): string {
  if (value === undefined) return 'nothing';
  let out = '';
  let budget = max + 1;
  const emit = (s: string) => {
    if (budget <= 0) return;
    out += s.length > budget ? s.slice(0, budget) : s;
    budget -= s.length;
  };
  const walk = (v: unknown, depth: number) => {
    if (budget <= 0) return;
    if (v === undefined) emit('null');
    else if (v === null || typeof v !== 'object')
      emit(typeof v === 'string' ? JSON.stringify(v.length > max ? v.slice(0, max + 1) : v) : String(v));
    else if (depth > 32) emit('…');
    else if (Array.isArray(v)) {
      emit('[');
      for (let i = 0; i < v.length && budget > 0; i++) {
        if (i > 0) emit(',');
        walk(v[i], depth + 1);
      }
      emit(']');
    } else {
      emit('{');
      let first = true;
      for (const k of Object.keys(v)) {
        if (budget <= 0) break;
        if (!first) emit(',');
        first = false;
        emit(JSON.stringify(k) + ':');
        walk((v as Record<string, unknown>)[k], depth + 1);
      }
      emit('}');
    }
  };
  walk(value, 0);
  return out.length > max ? out.slice(0, max) + '…' : out;
}

export function describeExpected(op: ComparisonOperator, expected: unknown): string {
  const e = preview(expected === undefined ? null : expected);
  return op === '==' ? e : op === '!=' ? `not ${e}` : `${op} ${e}`;
}

/** The verdict of any criterion whose context (`$response.body`, `$steps...`) has no value. */
export function missingContext(condition: string, contextText: string): CriterionResult {
  return {
    passed: false,
    condition,
    explanation: `${condition}: context ${contextText} resolved to nothing`,
    found: undefined,
  };
}
