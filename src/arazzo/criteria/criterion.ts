// Criterion Object: compile once (type resolution, context parsing, condition parsing), evaluate
// many times. A condition that does not parse is a compile error, never a silently false criterion.
import {
  type ExpressionContext,
  type ExpressionError,
  type ParseResult,
  type RuntimeExpression,
  evaluateExpression,
  parseRuntimeExpression,
} from '../expressions/index.js';
import { closest } from '../expressions/hints.js';
import type { Criterion } from '../model.js';
import { BUDGET_HINT, BudgetExceeded, EvaluationBudget } from './budget.js';
import { GOESSNER_VERSION, compileJsonPath, evaluateJsonPath } from './jsonpath.js';
import { compileRegex, evaluateRegex } from './regex.js';
import { evaluateSimple, parseSimpleCondition } from './simple.js';
import type { CompiledCriterion, CriterionResult } from './types.js';
import { XPATH_VERSIONS, compileXPath, evaluateXPath } from './xpath.js';

type Kind = CompiledCriterion['kind'];

function err(
  field: ExpressionError['field'],
  message: string,
  hint?: string,
  offset = 0,
): { ok: false; error: ExpressionError } {
  return { ok: false, error: { message, offset, hint, field, code: 'criterion' } };
}

function resolveType(
  type: Criterion['type'],
): { ok: true; kind: Kind; version?: string } | { ok: false; error: ExpressionError } {
  if (type === undefined) return { ok: true, kind: 'simple' };
  if (typeof type === 'string') {
    if (type === 'simple' || type === 'regex' || type === 'jsonpath' || type === 'xpath')
      return { ok: true, kind: type };
    const guess = closest(type, ['simple', 'regex', 'jsonpath', 'xpath']);
    return err(
      'type',
      `unknown criterion type \`${type}\``,
      guess ? `did you mean \`${guess}\`?` : 'use simple, regex, jsonpath or xpath',
    );
  }
  if (type === null || typeof type !== 'object')
    return err('type', 'criterion `type` must be a string or a Criterion Expression Type Object');
  const { type: t, version } = type as { type?: unknown; version?: unknown };
  if (t === 'jsonpath') {
    if (version === GOESSNER_VERSION) return { ok: true, kind: 'jsonpath', version };
    return err(
      'type',
      `unsupported JSONPath version \`${String(version)}\``,
      `the only allowed version is \`${GOESSNER_VERSION}\`; omit the object for RFC 9535`,
    );
  }
  if (t === 'xpath') {
    if ((XPATH_VERSIONS as readonly unknown[]).includes(version))
      return { ok: true, kind: 'xpath', version: version as string };
    return err('type', `unsupported XPath version \`${String(version)}\``, `use one of ${XPATH_VERSIONS.join(', ')}`);
  }
  return err(
    'type',
    `unknown expression type \`${String(t)}\``,
    'a Criterion Expression Type Object has type `jsonpath` or `xpath`',
  );
}

export function compileCriterion(criterion: Criterion): ParseResult<CompiledCriterion> {
  if (criterion === null || typeof criterion !== 'object') return err('condition', 'a criterion must be an object');
  const { condition } = criterion;
  if (typeof condition !== 'string') return err('condition', 'criterion `condition` is required and must be a string');
  const type = resolveType(criterion.type);
  if (!type.ok) return type;
  const { kind, version } = type;

  let context: RuntimeExpression | undefined;
  const contextText = criterion.context;
  if (contextText !== undefined) {
    if (typeof contextText !== 'string')
      return err('context', 'criterion `context` must be a runtime expression string');
    const parsed = parseRuntimeExpression(contextText);
    if (!parsed.ok) return { ok: false, error: { ...parsed.error, field: 'context' } };
    context = parsed.value;
  } else if (kind !== 'simple') {
    return err(
      'context',
      `a \`${kind}\` criterion needs a \`context\``,
      `e.g. \`context: ${kind === 'regex' ? '$statusCode' : '$response.body'}\``,
    );
  }
  const ctx = contextText ?? '';
  const base = { criterion, kind, ...(version ? { version } : {}), ...(context ? { context } : {}) };

  switch (kind) {
    case 'simple': {
      const parsed = parseSimpleCondition(condition);
      if (!parsed.ok) return parsed;
      const node = parsed.value;
      return {
        ok: true,
        value: { ...base, run: (_v, c) => evaluateSimple(node, c, condition) },
        warnings: parsed.warnings,
      };
    }
    case 'regex': {
      const parsed = compileRegex(condition);
      if (!parsed.ok) return parsed;
      const re = parsed.value;
      return { ok: true, value: { ...base, run: (v, _c, budget) => evaluateRegex(re, v, ctx, budget) }, warnings: [] };
    }
    case 'jsonpath': {
      const parsed = compileJsonPath(condition, version === GOESSNER_VERSION ? 'goessner' : 'rfc9535');
      if (!parsed.ok) return parsed;
      const q = parsed.value;
      return {
        ok: true,
        value: { ...base, run: (v, _c, budget) => evaluateJsonPath(q, v, ctx, budget) },
        warnings: [],
      };
    }
    case 'xpath': {
      const parsed = compileXPath(condition);
      if (!parsed.ok) return parsed;
      const x = parsed.value;
      return { ok: true, value: { ...base, run: (v, _c, budget) => evaluateXPath(x, v, ctx, budget) }, warnings: [] };
    }
  }
}

/**
 * Evaluates a compiled criterion within `budget` (budget.ts; share one across the criteria of a step).
 * Never throws: an unexpected failure, or a budget run out, is a failed criterion that says why.
 */
export function evaluateCriterion(
  compiled: CompiledCriterion,
  context: ExpressionContext,
  budget: EvaluationBudget = new EvaluationBudget(),
): CriterionResult {
  try {
    const value = compiled.context ? evaluateExpression(compiled.context, context) : undefined;
    return compiled.run(value, context, budget);
  } catch (e) {
    const condition = compiled.criterion.condition;
    if (e instanceof BudgetExceeded) {
      return { passed: false, condition, explanation: `${condition}: ${e.message}; ${BUDGET_HINT}` };
    }
    return {
      passed: false,
      condition,
      explanation: `${condition}: evaluation failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
