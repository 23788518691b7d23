// `arazzo-temporal check` (validateDocumentSet) refuses a match()/search() pattern, or an input
// schema pattern, that RE2 cannot express, at its file, line, column and JSON pointer, with a hint,
// before any request. Patterns that only a backtracking engine finds hard are accepted: they run on RE2.
import { describe, expect, it } from 'vitest';
import { loadDocumentSet } from '../../../src/arazzo/document/index.js';
import { formatFindings } from '../../../src/arazzo/format-finding.js';
import { validateDocumentSet } from '../../../src/arazzo/validate/index.js';
import { FIXTURES, readLocal } from '../document/fixture-reader.js';

describe('check: regular expressions RE2 cannot express', () => {
  it('refuses backreferences and lookaround with their location; accepts what RE2 runs', async () => {
    const file = `${FIXTURES}rules/jsonpath-patterns.arazzo.yaml`;
    const set = await loadDocumentSet(file, { read: readLocal });
    const findings = validateDocumentSet(set);
    expect(findings.map((f) => [f.severity, f.code, `${f.line}:${f.column}`, f.pointer, f.message, f.hint])).toEqual([
      [
        'error',
        'unsupported-pattern',
        '15:20',
        '/workflows/0/inputs/properties/user/pattern',
        'schema pattern "^(?!admin)[a-z]+$" cannot run on RE2: lookaround `(?!…)` is not supported: patterns run on RE2, which guarantees linear time',
        'rewrite it without backreferences or lookaround (RE2 syntax: https://github.com/google/re2/wiki/Syntax)',
      ],
      [
        'error',
        'invalid-criterion',
        '32:24',
        '/workflows/0/steps/0/successCriteria/1/condition',
        'jsonpath condition "$[?search(@.name, \'(ab)\\\\1\')]" does not compile: `search()` pattern `(ab)\\1` is refused: backreference `\\1` is not supported: patterns run on RE2, which guarantees linear time',
        'repeat the group explicitly instead of referring back to it',
      ],
      [
        'error',
        'invalid-criterion',
        '35:24',
        '/workflows/0/steps/0/successCriteria/2/condition',
        'jsonpath condition "$[?@.id > 0 && match(@.name, \'(?!cat)[a-z]+\')]" does not compile: `match()` pattern `(?!cat)[a-z]+` is refused: lookaround `(?!…)` is not supported: patterns run on RE2, which guarantees linear time',
        'match the surrounding text explicitly, or express the check as a simple or jsonpath criterion',
      ],
      [
        'error',
        'invalid-criterion',
        '41:24',
        '/workflows/0/steps/0/successCriteria/4/condition',
        'jsonpath condition "$[?search(@.name)]" does not compile: `search()` takes 2 arguments, found 1',
        undefined,
      ],
    ]);
    // As the CLI prints them: the file and line first.
    expect(formatFindings(findings).split('\n')[0]).toMatch(
      /jsonpath-patterns\.arazzo\.yaml:15:20 error \[unsupported-pattern\]/,
    );
  });
});
