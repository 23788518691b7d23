// shared-core.ts lists the pure modules workflow code imports from outside src/workflows, so that they
// are evaluated once per worker instead of once per execution. This keeps that list complete and exact:
// a value import added to workflow code and not listed would quietly be evaluated per run again.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { workflowPreloadModules } from '../../../src/workflow-bundle.js';

const workflows = fileURLToPath(new URL('../../../src/workflows/', import.meta.url));

/** Modules (absolute, as written) that `file` imports as values (type-only imports are erased). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause && !clause.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly);
      if (onlyTypes) continue;
    } else if (statement.isTypeOnly) continue;
    found.push(resolve(dirname(file), specifier.text));
  }
  return found;
}

describe('shared-core.ts', () => {
  it('lists exactly the modules outside src/workflows that workflow code imports as values', () => {
    const own = readdirSync(workflows)
      .filter((f) => f.endsWith('.ts') && f !== 'shared-core.ts' && f !== 'shared-libraries.ts')
      .map((f) => join(workflows, f));
    const used = new Set(own.flatMap(valueImports).filter((m) => !m.startsWith(workflows)));
    const listed = new Set(valueImports(join(workflows, 'shared-core.ts')));
    expect([...used].filter((m) => !listed.has(m)).sort(), 'imported by workflow code, not shared').toEqual([]);
    expect([...listed].filter((m) => !used.has(m)).sort(), 'shared, no longer imported').toEqual([]);
  });

  it('is preloaded by everyone who bundles the workflows', () => {
    expect(
      workflowPreloadModules.map((p) =>
        p
          .replace(/\.[jt]s$/, '')
          .split('/')
          .pop(),
      ),
    ).toEqual(['shared-libraries', 'shared-core']);
  });
});
