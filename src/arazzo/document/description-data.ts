// What in an OpenAPI description is data, not description: example values, specification extensions
// (`x-…`), `default`, `const` and `enum` values. A `$ref` inside data is part of the data (SCIM examples
// hold `{"$ref": "https://…/Users/1"}`; vendor extensions hold whatever the vendor's tools want), so it
// is never dereferenced and no URL in it is ever read. Real descriptions do both: a dangling `$ref` in a
// vendor extension made one unresolvable, and a `$ref` to an https address in example data made the
// reader fetch it.
//
// How: before dereferencing, every `$ref` key inside data is renamed to DATA_REF_KEY (the reference
// parser then sees no reference there); afterwards the name is restored. Where a key is a name rather
// than a keyword (`properties`, `headers`, `components/schemas`, …) an `x-` key is a name, not an
// extension: a property called `x-request-id` is a schema like any other.

/** What a `$ref` inside data is called while the description is dereferenced. */
export const DATA_REF_KEY = '$ref\u0000data';

/** Keywords whose value is data wherever they appear in an object of keywords. */
const DATA_KEYWORDS = new Set(['example', 'default', 'const', 'enum', 'value']);

/** Keywords whose value is a map from names (chosen by the author) to objects of keywords. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'webhooks',
  'callbacks',
  'headers',
  'content',
  'encoding',
  'links',
  'schemas',
  'requestBodies',
  'securitySchemes',
  'pathItems',
  'variables',
  'mapping',
  'scopes',
]);

/** Maps from names that also carry extensions (`x-` keys are extensions there, never names). */
const NAME_MAPS_WITH_EXTENSIONS = new Set(['paths', 'responses']);

type Where = 'keywords' | 'names' | 'names-and-extensions' | 'data';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Renames, in place, every `$ref` inside data to DATA_REF_KEY. `root` is an OpenAPI description, or
 * a fragment of one read through an external `$ref` (its top is taken as an object of keywords).
 */
export function hideDataReferences(root: unknown): void {
  const visit = (node: unknown, where: Where, depth: number): void => {
    if (depth > 512 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, where, depth + 1);
      return;
    }
    const object = node as Record<string, unknown>;
    if (where === 'data' && '$ref' in object) {
      object[DATA_REF_KEY] = object.$ref;
      delete object.$ref;
    }
    for (const [key, value] of Object.entries(object)) {
      if (key === DATA_REF_KEY) continue;
      visit(value, childWhere(where, key, value), depth + 1);
    }
  };
  visit(root, 'keywords', 0);
}

function childWhere(where: Where, key: string, value: unknown): Where {
  switch (where) {
    case 'data':
      return 'data';
    case 'names':
      return 'keywords';
    case 'names-and-extensions':
      return key.startsWith('x-') ? 'data' : 'keywords';
    case 'keywords':
      if (key.startsWith('x-') || DATA_KEYWORDS.has(key)) return 'data';
      // `examples`: a list of values in a Schema Object, a map of Example Objects elsewhere.
      if (key === 'examples') return Array.isArray(value) ? 'data' : 'names';
      if (NAME_MAPS_WITH_EXTENSIONS.has(key)) return 'names-and-extensions';
      // `parameters`/`responses`/… under `components` are maps; under an operation, a list of objects.
      if (NAME_MAPS.has(key) || (COMPONENT_MAPS.has(key) && isObject(value) && !('$ref' in value))) return 'names';
      return 'keywords';
  }
}

/** Names whose value is a map under `components` (and a list or an object of keywords elsewhere). */
const COMPONENT_MAPS = new Set(['parameters', 'examples']);

/** Restores the `$ref` keys hidden by hideDataReferences, in place (shared and repeated nodes once). */
export function restoreDataReferences(root: unknown): void {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const object = node as Record<string, unknown>;
    if (DATA_REF_KEY in object) {
      object.$ref = object[DATA_REF_KEY];
      delete object[DATA_REF_KEY];
    }
    for (const value of Object.values(object)) visit(value);
  };
  visit(root);
}
