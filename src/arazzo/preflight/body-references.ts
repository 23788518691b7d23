// Every place a step reads the response body: output values (`$response.body#/data/id`), simple
// conditions (`$response.body#/data/status == 'ready'`), criterion contexts, and jsonpath criteria
// over a body context (`$.data.status == "ready"`, `$.data.endpoints.direct.connectionString`), each
// as JSON Pointer segments into the body, with the literal it is compared to when there is one.
import { type ComparisonOperator, compileJsonPath, GOESSNER_VERSION, type SimpleNode } from '../criteria/index.js';
import { mirror } from '../criteria/values.js';
import { escapePointerToken, parsePointer } from '../document/json-pointer.js';
import {
  parseRuntimeExpression,
  parseValueTemplate,
  type RuntimeExpression,
  templateExpressions,
} from '../expressions/index.js';
import { isObject, itemsOf, type StepNode } from '../validate/document-walk.js';
import { jsonPathMembers } from './jsonpath-segments.js';
import { admittedStatuses, simpleConditionOf } from './status-conditions.js';

export interface BodyReference {
  /** Where it is written: the output value, or the criterion's `condition` / `context`. */
  pointer: string;
  origin: 'output' | 'criterion';
  outputName?: string;
  /** As written: `$response.body#/status`, or the jsonpath query `$.status`. */
  written: string;
  syntax: 'pointer' | 'jsonpath';
  segments: string[];
  /** A jsonpath query of which only a prefix (names and indexes) could be read. */
  partial: boolean;
  comparison?: { op: ComparisonOperator; literal: unknown };
  /** The responses it can read: the step's successes, the given statuses, or any declared response. */
  statuses: 'success' | number[] | 'any';
}

function bodySegments(expression: RuntimeExpression): string[] | undefined {
  if (expression.kind !== 'response' || expression.source !== 'body') return undefined;
  try {
    return parsePointer(expression.pointer ?? '');
  } catch {
    return undefined;
  }
}

export function bodyReferences(step: StepNode): BodyReference[] {
  const references: BodyReference[] = [];
  const outputs = step.step.outputs;
  if (isObject(outputs)) {
    for (const [name, value] of Object.entries(outputs)) {
      const parsed = parseValueTemplate(value);
      if (!parsed.ok) continue;
      for (const { expression, text } of templateExpressions(parsed.value)) {
        const segments = bodySegments(expression);
        if (!segments) continue;
        references.push({
          pointer: `${step.pointer}/outputs/${escapePointerToken(name)}`,
          origin: 'output',
          outputName: name,
          written: text,
          syntax: 'pointer',
          segments,
          partial: false,
          statuses: 'success',
        });
      }
    }
  }
  for (const { item, pointer } of itemsOf(step.step, 'successCriteria', step.pointer)) {
    references.push(...criterionReferences(item, pointer, 'success'));
  }
  for (const { item: action, pointer: actionPointer } of itemsOf(step.step, 'onSuccess', step.pointer)) {
    for (const { item, pointer } of itemsOf(action, 'criteria', actionPointer)) {
      references.push(...criterionReferences(item, pointer, 'success'));
    }
  }
  // A failure action reads the response that made the step fail: the statuses its criteria name, or any.
  for (const { item: action, pointer: actionPointer } of itemsOf(step.step, 'onFailure', step.pointer)) {
    const statuses = admittedStatuses(action.criteria) ?? 'any';
    for (const { item, pointer } of itemsOf(action, 'criteria', actionPointer)) {
      references.push(...criterionReferences(item, pointer, statuses));
    }
  }
  return references;
}

function criterionReferences(
  criterion: Record<string, unknown>,
  pointer: string,
  statuses: BodyReference['statuses'],
): BodyReference[] {
  const condition = criterion.condition;
  if (typeof condition !== 'string') return [];
  const simple = simpleConditionOf(criterion);
  if (simple) return simpleReferences(simple, condition, `${pointer}/condition`, statuses);
  const type = isObject(criterion.type) ? criterion.type.type : criterion.type;
  if (typeof criterion.context !== 'string') return [];
  const context = parseRuntimeExpression(criterion.context);
  const base = context.ok ? bodySegments(context.value) : undefined;
  if (!base) return [];
  if (type === 'jsonpath') {
    const dialect = isObject(criterion.type) && criterion.type.version === GOESSNER_VERSION ? 'goessner' : 'rfc9535';
    const compiled = compileJsonPath(condition, dialect);
    const members = compiled.ok ? jsonPathMembers(compiled.value.query) : undefined;
    if (compiled.ok && members && base.length + members.segments.length > 0) {
      const comparison = compiled.value.comparison;
      return [
        {
          pointer: `${pointer}/condition`,
          origin: 'criterion',
          written: compiled.value.query,
          syntax: 'jsonpath',
          segments: [...base, ...members.segments],
          partial: !members.complete,
          ...(comparison && members.complete ? { comparison: { op: comparison.op, literal: comparison.literal } } : {}),
          statuses,
        },
      ];
    }
  }
  // Any other criterion on a part of the body: the context pointer itself must exist.
  if (base.length === 0) return [];
  return [
    {
      pointer: `${pointer}/context`,
      origin: 'criterion',
      written: criterion.context,
      syntax: 'pointer',
      segments: base,
      partial: false,
      statuses,
    },
  ];
}

function simpleReferences(
  tree: SimpleNode,
  condition: string,
  pointer: string,
  statuses: BodyReference['statuses'],
): BodyReference[] {
  const references: BodyReference[] = [];
  const operand = (ast: SimpleNode, comparison?: BodyReference['comparison']) => {
    if (ast.type !== 'expression') return false;
    const base = bodySegments(ast.expression);
    if (!base) return true;
    references.push({
      pointer,
      origin: 'criterion',
      written: condition.slice(ast.start, ast.end).trim(),
      syntax: 'pointer',
      segments: [...base, ...ast.access.map(String)],
      partial: false,
      ...(comparison ? { comparison } : {}),
      statuses,
    });
    return true;
  };
  const walk = (ast: SimpleNode, depth: number): void => {
    if (depth > 128) return;
    switch (ast.type) {
      case 'literal':
        return;
      case 'expression':
        operand(ast);
        return;
      case 'not':
        walk(ast.operand, depth + 1);
        return;
      case 'compare': {
        // `literal op body` reads as `body op' literal`; only the operator direction changes.
        const left = ast.right.type === 'literal' ? { op: ast.op, literal: ast.right.value } : undefined;
        const right = ast.left.type === 'literal' ? { op: mirror(ast.op), literal: ast.left.value } : undefined;
        if (!operand(ast.left, left)) walk(ast.left, depth + 1);
        if (!operand(ast.right, right)) walk(ast.right, depth + 1);
        return;
      }
      default:
        walk(ast.left, depth + 1);
        walk(ast.right, depth + 1);
    }
  };
  walk(tree, 0);
  return references;
}
