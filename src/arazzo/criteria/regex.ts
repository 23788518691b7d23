// `regex` criteria run on RE2 (re2js): matching is linear in the input, so no pattern can make a
// criterion hang (`(a+)+$` on `aaaa…!` is instant). The price is RE2 syntax: no backreferences and
// no lookaround; those are compile errors with a hint instead of a silent false.
import { RE2JS } from 're2js';
import type { ExpressionError, ParseResult } from '../expressions/index.js';
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

/** Numbers and booleans match as their text (`$statusCode` against `^200$`), structures as JSON. */
function subjectOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function evaluateRegex(compiled: CompiledRegex, value: unknown, contextText: string): CriterionResult {
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
