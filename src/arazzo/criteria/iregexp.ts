// JSONPath `match()` and `search()` patterns (RFC 9535 §2.4.6–2.4.7, I-Regexp RFC 9485) on RE2.
//
// Every regular expression the engine evaluates runs on RE2 (re2js), whose matching time is linear in
// the subject: a pattern that backtracks for hours on a backtracking engine (`(a*)*b`, twelve `a*`
// in a row) answers at once. Patterns RE2 cannot express (backreferences, lookaround) are compile
// errors located in the pattern (regex.ts), refused before any request is sent.
//
// Semantics: `match()` tests the whole string (RE2 `matches()`, anchored at both ends), `search()`
// any substring (`find()`). I-Regexp's `.` is any character but `\n` and `\r`, where RE2's excludes
// only `\n`: outside character classes `.` is rewritten to `[^\n\r]`. The accepted syntax is RE2's,
// a superset of I-Regexp (so `\d` or `(?i)` in published documents keep working).
import { RE2JS } from 're2js';
import type { ParseResult } from '../expressions/index.js';
import { compileRegex } from './regex.js';

export { regexCost } from './regex.js';

export interface IRegexp {
  pattern: string;
  re: RE2JS;
}

/** The pattern with every `.` outside a character class or `\Q…\E` quote written as `[^\n\r]`. */
export function withIRegexpDot(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
      } else {
        out += pattern.slice(i, i + 2);
        i++;
      }
    } else if (c === '[') {
      // A class runs to the first `]` that is not its first member, an escape, or the end of `[:name:]`.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        if (pattern[j] === '\\') j += 2;
        else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const end = pattern.indexOf(':]', j + 2);
          j = end < 0 ? j + 1 : end + 2;
        } else j++;
      }
      out += pattern.slice(i, j + 1);
      i = j;
    } else if (c === '.') {
      out += '[^\\n\\r]';
    } else {
      out += c;
    }
  }
  return out;
}

/** Compiles a match()/search() pattern; errors (with the offset in the pattern) are those of `regex` criteria. */
export function compileIRegexp(pattern: string): ParseResult<IRegexp> {
  const checked = compileRegex(pattern);
  if (!checked.ok) return checked;
  return { ok: true, value: { pattern, re: RE2JS.compile(withIRegexpDot(pattern)) }, warnings: [] };
}

export function iregexpMatches(re: IRegexp, subject: string, anchored: boolean): boolean {
  const matcher = re.re.matcher(subject);
  return anchored ? matcher.matches() : matcher.find();
}
