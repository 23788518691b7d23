import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { compileSchemaPattern } from '../criteria/regex.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/**
 * `pattern` and `patternProperties` run on RE2 (linear time), like every regular expression the engine
 * evaluates: a document's input schema cannot make a worker backtrack for hours on a run's inputs.
 * A pattern RE2 cannot express fails the schema's compilation; validation reports it first
 * (rules/schema-patterns.ts).
 */
const re2: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = compileSchemaPattern(pattern);
    if (!compiled.ok) throw new Error(`pattern "${pattern}": ${compiled.error.message}`);
    const { re } = compiled.value;
    // ajv keys compiled patterns by their text.
    return { test: (s: string) => re.matcher(s).find(), toString: () => `/${pattern}/` };
  },
  { code: 're2js' },
);

/** A JSON Schema draft 2020-12 validator with the standard formats (`date-time`, `uri`, ...). */
export function createAjv2020(options: Options): Ajv2020 {
  const ajv = new Ajv2020({ ...options, code: { ...options.code, regExp: re2 } });
  addFormats(ajv);
  return ajv;
}
