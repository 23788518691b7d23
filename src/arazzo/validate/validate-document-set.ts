// Validation of a loaded Arazzo document set. Order and skipping, decided here once:
//
// 1. Loading findings (unreadable/unparseable sources, unsupported versions) come first: they are
//    in `set.findings` already and are returned as they are.
// 2. The official JSON Schema of the document's Arazzo version (1.0 or 1.1; schemaFor). Its errors are reported, but they do not stop step 3:
//    one run reports everything there is to fix.
// 3. Semantic rules, all of them, every time. They read the document through the shape-checking
//    accessors of document-walk.ts, so a node the schema rejected (a step that is a string, a
//    `parameters` that is not a list) is skipped by the rules about that node only; its siblings
//    and the rest of the document are still checked. A rule never repeats what the schema said in a
//    better way (the schema's `oneOf` noise about operationId/operationPath/workflowId is dropped in
//    favour of the `step-target` rule).
// 4. Rules about a source that could not be loaded (its operations, its workflows) are skipped:
//    the one `source-unreadable` finding says it all.
//
// The result is sorted by file and position so it reads top to bottom.

import { hasUnsupportedArazzoVersion } from '../document/arazzo-version.js';
import { compareFindings, type DocumentSet, isAvailable } from '../document/document-set.js';
import type { Finding } from '../model.js';
import { createRuleContext, type RuleContext } from './rule-context.js';
import { checkActionTargets } from './rules/action-targets.js';
import { checkArazzo11 } from './rules/arazzo-1-1.js';
import { checkChannelParameters } from './rules/channel-parameters.js';
import { checkChannelReferences } from './rules/channel-references.js';
import { checkComponentReferences } from './rules/component-references.js';
import { checkCriteria } from './rules/criteria.js';
import { checkDependsOn } from './rules/depends-on.js';
import { checkOperationReferences } from './rules/operation-references.js';
import { checkRuntimeExpressions } from './rules/runtime-expressions.js';
import { checkSchemaPatterns } from './rules/schema-patterns.js';
import { checkStepKinds } from './rules/step-kind.js';
import { checkUniqueNames } from './rules/unique-names.js';
import { validateAgainstArazzoSchema } from './schema-validation.js';

export interface ValidateOptions {
  /** Strict dialect: only `{$...}` inside strings is an expression. Default: lenient. */
  strict?: boolean;
}

export type SemanticRule = (ctx: RuleContext) => void;

/** The semantic rules in the order their findings are produced (the output is sorted anyway). */
export const SEMANTIC_RULES: readonly SemanticRule[] = [
  checkUniqueNames,
  checkStepKinds,
  checkActionTargets,
  checkDependsOn,
  checkComponentReferences,
  checkOperationReferences,
  checkChannelReferences,
  checkChannelParameters,
  checkRuntimeExpressions,
  checkCriteria,
  checkSchemaPatterns,
  checkArazzo11,
];

export function validateDocumentSet(set: DocumentSet, options: ValidateOptions = {}): Finding[] {
  const findings: Finding[] = [...set.findings];
  // A version this engine does not run (`arazzo: 2.0.0`) is one finding (already loaded), not a
  // schema dump: no schema and no rule of 1.x knows what its fields mean.
  if (set.entry.document === undefined || hasUnsupportedArazzoVersion(set.entry.document)) return findings;
  findings.push(...validateAgainstArazzoSchema(set.entry.document, set.entry.sourceMap));
  // Arazzo sources are only schema-checked: their semantics are their own document's business.
  for (const source of Object.values(set.sources)) {
    if (isAvailable(source) && source.type === 'arazzo') {
      findings.push(...validateAgainstArazzoSchema(source.document, source.sourceMap));
    }
  }
  const semantic = runSemanticRules(set, options, SEMANTIC_RULES);
  // The schema's "unknown property operationPath" on a channel step says less than the rule that names
  // the mistake (an AsyncAPI operation id written as operationPath): one finding for one mistake.
  const named = new Set(semantic.filter((f) => f.code === 'channel-step-operation-path').map((f) => f.pointer));
  const schema = findings.filter((f) => !(f.code === 'schema' && named.has(f.pointer)));
  return [...schema, ...semantic].sort(compareFindings);
}

/** Runs the given semantic rules only (no schema check); lets tests exercise one rule at a time. */
export function runSemanticRules(
  set: DocumentSet,
  options: ValidateOptions,
  rules: readonly SemanticRule[],
): Finding[] {
  const ctx = createRuleContext(set, options.strict ?? false);
  if (ctx.document === null || typeof ctx.document !== 'object' || Array.isArray(ctx.document)) return [];
  for (const rule of rules) rule(ctx);
  return ctx.findings.sort(compareFindings);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}
