// Regenerates src/arazzo/schema/arazzo-1.1-schema.json from the official YAML (development branch) with
// the local corrections, each marked in the output by a $comment starting LOCAL CORRECTION.
// Usage: node scripts/convert-arazzo-1.1-schema.mjs [path/to/arazzo-1.1-schema.yaml]
import { readFileSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';
const schema = YAML.parse(
  readFileSync(process.argv[2] ?? '../shared/reference/arazzo/1.1/arazzo-1.1-schema.yaml', 'utf8'),
);
const d = schema.$defs;
const dep = d['step-object-base'].properties.dependsOn.items.oneOf[0];
if (dep.pattern !== '^(?!\\$).+$') throw new Error('unexpected dependsOn pattern ' + dep.pattern);
dep.pattern = '^[^$].*$';
dep.$comment =
  'LOCAL CORRECTION (arazzo-temporal): the official pattern is ^(?!\\$).+$ ; its lookahead cannot run on RE2, the linear-time engine every pattern here runs on. Same meaning: a stepId that does not start with $.';
const literalOrSelector = (description) => ({
  description,
  $comment:
    'LOCAL CORRECTION (arazzo-temporal): the official schema allows only scalars/arrays or a Selector Object here (oneOf), refusing object literals and, for replacements, any non-string literal (the text\'s own example `value: 10`). The 1.1.0 text says "Any | {expression} | Selector Object", and the text wins: an object with a `selector` field is a Selector Object, anything else is a literal.',
  if: { type: 'object', required: ['selector'] },
  // biome-ignore lint/suspicious/noThenProperty: a JSON Schema if/then, not a promise
  then: { $ref: '#/$defs/selector-object' },
});
d['parameter-object'].properties.value = literalOrSelector(d['parameter-object'].properties.value.description);
d['payload-replacement-object'].properties.value = literalOrSelector(
  d['payload-replacement-object'].properties.value.description,
);
schema.$comment =
  'The Arazzo 1.1 JSON Schema from the specification repository (development branch, $id WORK-IN-PROGRESS), converted from YAML to JSON unchanged except where a $comment says LOCAL CORRECTION. See README.md beside this file.';
writeFileSync('src/arazzo/schema/arazzo-1.1-schema.json', JSON.stringify(schema, null, 2) + '\n');
