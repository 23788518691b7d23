// What a criterion says about the HTTP status, read from the simple-condition AST without running it.
//
// A condition constrains the status when it is satisfiable only for a known, finite set of codes:
// `$statusCode == 204` → {204}; `a || b` → the union; `a && b` → the intersection; anything else
// (`!=`, `<`, `!`, a comparison of other values) → `any`. `$statusCode == '204'` counts too (simple
// conditions compare a number with a numeric string as equal). Only `simple` criteria are read:
// a `regex` on `$statusCode` is not analysed (documented limitation), it counts as `any`.
import { parseSimpleCondition, type SimpleNode } from '../criteria/index.js';
import { isObject } from '../validate/document-walk.js';

export type StatusSet = ReadonlySet<number> | 'any';

const isStatusOperand = (ast: SimpleNode): boolean =>
  ast.type === 'expression' && ast.expression.kind === 'statusCode' && ast.access.length === 0;

function statusLiteral(ast: SimpleNode): number | undefined {
  if (ast.type !== 'literal') return undefined;
  const value = typeof ast.value === 'string' && /^\d{3}$/.test(ast.value.trim()) ? Number(ast.value) : ast.value;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function statusSetOf(ast: SimpleNode): StatusSet {
  switch (ast.type) {
    case 'compare': {
      if (ast.op !== '==') return 'any';
      const code = isStatusOperand(ast.left)
        ? statusLiteral(ast.right)
        : isStatusOperand(ast.right)
          ? statusLiteral(ast.left)
          : undefined;
      return code === undefined ? 'any' : new Set([code]);
    }
    case 'or': {
      const left = statusSetOf(ast.left);
      const right = statusSetOf(ast.right);
      return left === 'any' || right === 'any' ? 'any' : new Set([...left, ...right]);
    }
    case 'and': {
      const left = statusSetOf(ast.left);
      const right = statusSetOf(ast.right);
      if (left === 'any') return right;
      if (right === 'any') return left;
      return new Set([...left].filter((code) => right.has(code)));
    }
    default:
      return 'any';
  }
}

/** The parsed condition of a `simple` criterion (type absent or `simple`), or undefined. */
export function simpleConditionOf(criterion: unknown): SimpleNode | undefined {
  if (!isObject(criterion) || typeof criterion.condition !== 'string') return undefined;
  if (criterion.type !== undefined && criterion.type !== 'simple') return undefined;
  const parsed = parseSimpleCondition(criterion.condition);
  return parsed.ok ? parsed.value : undefined;
}

export function criterionStatuses(criterion: unknown): StatusSet {
  const ast = simpleConditionOf(criterion);
  return ast ? statusSetOf(ast) : 'any';
}

/**
 * The statuses a list of criteria (all of which must hold) admits, or undefined when it does not
 * constrain the status. An empty result (contradictory criteria) is returned as it is.
 */
export function admittedStatuses(criteria: unknown): number[] | undefined {
  if (!Array.isArray(criteria)) return undefined;
  let admitted: Set<number> | undefined;
  for (const criterion of criteria) {
    const set = criterionStatuses(criterion);
    if (set === 'any') continue;
    admitted = admitted ? new Set([...admitted].filter((code) => set.has(code))) : new Set(set);
  }
  return admitted ? [...admitted].sort((a, b) => a - b) : undefined;
}

/** True when the condition reads nothing but `$statusCode` (and literals). */
export function readsOnlyStatus(ast: SimpleNode): boolean {
  switch (ast.type) {
    case 'literal':
      return true;
    case 'expression':
      return isStatusOperand(ast);
    case 'not':
      return readsOnlyStatus(ast.operand);
    default:
      return readsOnlyStatus(ast.left) && readsOnlyStatus(ast.right);
  }
}
