// `regex` criteria run on RE2 (re2js): matching is linear in the input, so no pattern can make a
// criterion hang (`(a+)+$` on `aaaa…!` is instant). The price is RE2 syntax: no backreferences and
// no lookaround; those are compile errors with a hint instead of a silent false.
import { RE2JS } from 're2js';
import type { ExpressionError, ParseResult } from '../expressions/index.js';
import { EvaluationBudget } from './budget.js';
import type { CriterionResult } from './types.js';
import { missingContext, preview } from './values.js';

export const MAX_PATTERN_LENGTH = 10_000;
/** Subjects longer than this fail the criterion instead of being scanned. */
export const MAX_REGEX_SUBJECT_LENGTH = 5_000_000;

export interface CompiledRegex {
  pattern: string;
  re: RE2JS;
}

const LOOKAROUND = ['(?<=', '(?<!', '(?=', '(?!'];

function backreferenceAt(pattern: string): number {
  for (let i = 0; i < pattern.length - 1; i++) {
    if (pattern[i] === '\\') {
      const n = pattern[i + 1];
      if ((n >= '1' && n <= '9') || n === 'k') return i;
      i++;
    }
  }
  return -1;
}

function error(message: string, offset: number, hint?: string): { ok: false; error: ExpressionError } {
  return { ok: false, error: { message, offset, hint, code: 'regex-syntax', field: 'condition' } };
}

export function compileRegex(pattern: string): ParseResult<CompiledRegex> {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return error(
      `pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
      MAX_PATTERN_LENGTH,
    );
  }
  try {
    return { ok: true, value: { pattern, re: RE2JS.compile(pattern) }, warnings: [] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    for (const look of LOOKAROUND) {
      const at = pattern.indexOf(look);
      if (at >= 0) {
        return error(
          `lookaround \`${look}…)\` is not supported: patterns run on RE2, which guarantees linear time`,
          at,
          'match the surrounding text explicitly, or express the check as a simple or jsonpath criterion',
        );
      }
    }
    const backref = backreferenceAt(pattern);
    if (backref >= 0) {
      return error(
        `backreference \`${pattern.slice(backref, backref + 2)}\` is not supported: patterns run on RE2, which guarantees linear time`,
        backref,
        'repeat the group explicitly instead of referring back to it',
      );
    }
    // re2js quotes the offending fragment in backticks: locate it in the pattern.
    const quoted = /`([^`]*)`/.exec(message)?.[1];
    const at = quoted ? pattern.indexOf(quoted) : -1;
    return error(
      `invalid regular expression: ${message}`,
      Math.max(at, 0),
      'RE2 syntax: https://github.com/google/re2/wiki/Syntax',
    );
  }
}

/**
 * A JSON Schema `pattern` (ECMA-262 syntax) compiled for RE2, for the places the engine checks values
 * or names against schemas (input validation, pre-flight). `\uXXXX` and `\u{X}` escapes, which RE2
 * spells `\x{X}`, are rewritten; anything else RE2 cannot express is an error like a regex criterion's.
 */
export function compileSchemaPattern(pattern: string): ParseResult<CompiledRegex> {
  let rewritten = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') {
      rewritten += pattern[i];
      continue;
    }
    const braced = /^u\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 1, i + 10));
    const plain = /^u([0-9a-fA-F]{4})/.exec(pattern.slice(i + 1, i + 6));
    const hex = braced ?? plain;
    if (hex) {
      rewritten += `\\x{${hex[1]}}`;
      i += hex[0].length;
    } else {
      rewritten += pattern.slice(i, i + 2);
      i++;
    }
  }
  const compiled = compileRegex(rewritten);
  if (!compiled.ok) return compiled;
  return { ok: true, value: { pattern, re: compiled.value.re }, warnings: [] };
}

const schemaPatterns = new Map<string, RE2JS | null>();

/**
 * Whether `text` matches a JSON Schema pattern (unanchored, as JSON Schema says), on RE2; `undefined`
 * when RE2 cannot express the pattern (callers decide; validation reports such patterns).
 */
export function schemaPatternMatches(pattern: string, text: string): boolean | undefined {
  let re = schemaPatterns.get(pattern);
  if (re === undefined) {
    const compiled = compileSchemaPattern(pattern);
    re = compiled.ok ? compiled.value.re : null;
    if (schemaPatterns.size < 1_000) schemaPatterns.set(pattern, re);
  }
  return re === null ? undefined : re.matcher(text).find();
}

/** Numbers and booleans match as their text (`$statusCode` against `^200$`), structures as JSON. */
function subjectOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Work units for matching (linear in the subject, the pattern's size as factor). Also used by iregexp.ts. */
export function regexCost(pattern: string, subject: string): number {
  return (subject.length + 1) * Math.max(1, pattern.length);
}

export function evaluateRegex(
  compiled: CompiledRegex,
  value: unknown,
  contextText: string,
  budget: EvaluationBudget = new EvaluationBudget(),
): CriterionResult {
  const condition = compiled.pattern;
  if (value === undefined) return missingContext(condition, contextText);
  const subject = subjectOf(value);
  if (subject.length > MAX_REGEX_SUBJECT_LENGTH) {
    return {
      passed: false,
      condition,
      explanation: `${condition}: context ${contextText} is ${subject.length} characters long; the limit is ${MAX_REGEX_SUBJECT_LENGTH}`,
    };
  }
  // Charged before matching: RE2 cannot be stopped half-way, and its cost is known in advance.
  budget.spend(
    regexCost(compiled.pattern, subject),
    `matching /${compiled.pattern}/ against ${subject.length} characters`,
  );
  const passed = compiled.re.matcher(subject).find();
  return passed
    ? { passed, condition, found: value }
    : {
        passed,
        condition,
        explanation: `${condition}: found ${preview(value)}, expected a match of /${compiled.pattern}/`,
        found: value,
        expected: `/${compiled.pattern}/`,
      };
}
