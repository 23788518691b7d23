import { compileSchemaPattern } from '../../criteria/regex.js';
import { escapePointerToken } from '../../document/json-pointer.js';
import { componentsOf, isObject, workflowsOf } from '../document-walk.js';
import type { RuleContext } from '../rule-context.js';

/**
 * `pattern` and `patternProperties` in workflow input schemas (and `components.inputs`) run on RE2
 * when a run's inputs are checked (validate/ajv-2020.ts): one RE2 cannot express (a backreference,
 * lookaround) is reported here, where it is written, instead of failing the run.
 */
export function checkSchemaPatterns(ctx: RuleContext): void {
  const roots: Array<{ schema: unknown; pointer: string }> = workflowsOf(ctx.document).map((w) => ({
    schema: w.workflow.inputs,
    pointer: `${w.pointer}/inputs`,
  }));
  const inputs = componentsOf(ctx.document).inputs;
  if (isObject(inputs)) {
    for (const [name, schema] of Object.entries(inputs))
      roots.push({ schema, pointer: `/components/inputs/${escapePointerToken(name)}` });
  }
  const check = (pattern: string, pointer: string) => {
    const compiled = compileSchemaPattern(pattern);
    if (compiled.ok) return;
    ctx.report({
      code: 'unsupported-pattern',
      message: `schema pattern "${pattern}" cannot run on RE2: ${compiled.error.message}`,
      hint: 'rewrite it without backreferences or lookaround (RE2 syntax: https://github.com/google/re2/wiki/Syntax)',
      pointer,
    });
  };
  const stack = roots;
  while (stack.length > 0) {
    const { schema, pointer } = stack.pop()!;
    if (Array.isArray(schema)) {
      for (const [i, item] of schema.entries()) stack.push({ schema: item, pointer: `${pointer}/${i}` });
      continue;
    }
    if (!isObject(schema)) continue;
    if (typeof schema.pattern === 'string') check(schema.pattern, `${pointer}/pattern`);
    if (isObject(schema.patternProperties)) {
      for (const key of Object.keys(schema.patternProperties))
        check(key, `${pointer}/patternProperties/${escapePointerToken(key)}`);
    }
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') continue;
      stack.push({ schema: value, pointer: `${pointer}/${escapePointerToken(key)}` });
    }
  }
}
