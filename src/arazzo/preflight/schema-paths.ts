// Reading a (dereferenced) JSON Schema along a JSON Pointer into the instance it describes.
//
// A property is declared in an object schema when `properties` (or a matching `patternProperties`, or
// an `additionalProperties` schema) names it. A name the schema does not declare is only *impossible*
// when the schema is closed (`additionalProperties: false` or `unevaluatedProperties: false`): an open
// schema (the JSON Schema default) allows any other name, and real APIs send fields their descriptions
// forget (a description's own example often shows them). So a pointer is `found`, `possible` (it goes
// through an open object that does not declare a name on the way) or `absent` (every way is closed).
// Where a schema says nothing about its shape (no schema, `{}`, `true`, a free-form `type: object`, a
// circular `$ref` left unresolved), the walk is "open": the pointer cannot be disproved, and counts as found.
import { schemaPatternMatches } from '../criteria/regex.js';
import { toPointer } from '../document/json-pointer.js';
import { editDistance } from '../text/edit-distance.js';
import { closestName } from '../validate/did-you-mean.js';
import { isObject, type JsonObject } from '../validate/document-walk.js';

const MAX_DEPTH = 64;
const MAX_LISTED = 5000;
const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;

export const isIndexSegment = (segment: string): boolean => /^(0|[1-9]\d*)$/.test(segment);

function typesOf(schema: JsonObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  return Array.isArray(schema.type)
    ? schema.type.filter((type): type is string => typeof type === 'string')
    : undefined;
}

export interface Reach {
  /** The schemas found at the end of the pointer (several through anyOf/oneOf/allOf). */
  schemas: JsonObject[];
  /** Some branch could not be followed: the pointer may exist. */
  open: boolean;
  /** Some branch went through an open object schema that does not declare the next name. */
  undeclared: boolean;
}

export function reachSchemas(root: unknown, segments: readonly string[]): Reach {
  const reach: Reach = { schemas: [], open: false, undeclared: false };
  const visit = (schema: unknown, index: number, depth: number): void => {
    if (depth > MAX_DEPTH || schema === true || schema === undefined) {
      reach.open = true;
      return;
    }
    if (!isObject(schema)) return;
    if (index === segments.length) {
      reach.schemas.push(schema);
      return;
    }
    if (typeof schema.$ref === 'string') {
      reach.open = true;
      return;
    }
    let combined = false;
    for (const keyword of COMBINATORS) {
      if (!Array.isArray(schema[keyword])) continue;
      combined = true;
      for (const branch of schema[keyword]) visit(branch, index, depth + 1);
    }
    const segment = segments[index];
    const objectShape = 'properties' in schema || 'patternProperties' in schema || 'additionalProperties' in schema;
    const arrayShape = 'items' in schema || 'prefixItems' in schema;
    if (!objectShape && !arrayShape) {
      const types = typesOf(schema);
      const structured = types ? types.includes('object') || types.includes('array') : !combined;
      if (structured && !('enum' in schema) && !('const' in schema)) reach.open = true;
      return;
    }
    if (objectShape) {
      let declared = false;
      if (isObject(schema.properties) && Object.hasOwn(schema.properties, segment)) {
        declared = true;
        visit(schema.properties[segment], index + 1, depth + 1);
      }
      if (isObject(schema.patternProperties)) {
        for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
          if (!matches(pattern, segment)) continue;
          declared = true;
          visit(sub, index + 1, depth + 1);
        }
      }
      const additional = schema.additionalProperties;
      const unevaluated = schema.unevaluatedProperties;
      if (additional === true || (additional === undefined && (unevaluated === true || isObject(unevaluated)))) {
        reach.open = true;
      } else if (isObject(additional)) {
        visit(additional, index + 1, depth + 1);
      } else if (!declared && additional === undefined && unevaluated !== false) {
        reach.undeclared = true;
      }
    }
    if (arrayShape && isIndexSegment(segment)) {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems[Number(segment)] : undefined;
      if (prefix !== undefined) visit(prefix, index + 1, depth + 1);
      else if (schema.items === undefined || schema.items === true) reach.open = true;
      else visit(schema.items, index + 1, depth + 1);
    }
  };
  visit(root, 0, 0);
  return reach;
}

/** On RE2; a pattern RE2 cannot express counts as matching (no finding is made from it). */
function matches(pattern: string, text: string): boolean {
  return schemaPatternMatches(pattern, text) ?? true;
}

/** True when some schema reached along `segments` exists (or the walk is open). */
export function resolves(roots: readonly unknown[], segments: readonly string[]): boolean {
  return pointerStatus(roots, segments) === 'found';
}

/**
 * `found`: some schema declares it (or cannot be disproved); `possible`: not declared, but an open
 * object schema on the way allows it; `absent`: every schema on every way is closed to it.
 */
export function pointerStatus(roots: readonly unknown[], segments: readonly string[]): 'found' | 'possible' | 'absent' {
  let possible = false;
  for (const root of roots) {
    const reach = reachSchemas(root, segments);
    if (reach.open || reach.schemas.length > 0) return 'found';
    possible ||= reach.undeclared;
  }
  return possible ? 'possible' : 'absent';
}

/**
 * The values a schema allows when it is an enumeration (`enum`, `const`, through allOf/anyOf/oneOf),
 * or undefined when it allows values outside any list.
 */
export function allowedValues(schema: unknown, depth = 0): unknown[] | undefined {
  if (!isObject(schema) || depth > MAX_DEPTH) return undefined;
  const lists: unknown[][] = [];
  if ('const' in schema) lists.push([schema.const]);
  if (Array.isArray(schema.enum)) lists.push(schema.enum);
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf) {
      const values = allowedValues(branch, depth + 1);
      if (values) lists.push(values);
    }
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    if (!Array.isArray(schema[keyword])) continue;
    const branches = schema[keyword].map((branch: unknown) => allowedValues(branch, depth + 1));
    if (branches.every((values: unknown[] | undefined) => values !== undefined)) lists.push(branches.flat());
  }
  if (lists.length === 0) return undefined;
  // Every list applies: the allowed values are those in all of them (by JSON equality).
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return lists.reduce((kept, list) => kept.filter((value) => list.some((other) => same(value, other))));
}

/** The enumeration the values at `segments` are limited to, or undefined when not limited. */
export function allowedValuesAt(roots: readonly unknown[], segments: readonly string[]): unknown[] | undefined {
  const values: unknown[] = [];
  for (const root of roots) {
    const reach = reachSchemas(root, segments);
    if (reach.open) return undefined;
    for (const schema of reach.schemas) {
      const allowed = allowedValues(schema);
      if (!allowed) return undefined;
      values.push(...allowed);
    }
  }
  return values.length > 0 ? values : undefined;
}

/** The types the values at `segments` may have, when every schema reached says (undefined otherwise). */
export function typesAt(roots: readonly unknown[], segments: readonly string[]): Set<string> | undefined {
  const types = new Set<string>();
  for (const root of roots) {
    const reach = reachSchemas(root, segments);
    if (reach.open) return undefined;
    for (const schema of reach.schemas) {
      const own = typesOf(schema);
      if (!own) return undefined;
      for (const type of own) types.add(type);
    }
  }
  return types.size > 0 ? types : undefined;
}

export interface ListedPointer {
  segments: string[];
  /** The property, or one it is inside of, is `deprecated: true`. */
  deprecated: boolean;
  /** Inside an array item. */
  inArray: boolean;
}

/** Every pointer a schema describes (array items as index `0`), in document order, bounded. */
export function listPointers(root: unknown): ListedPointer[] {
  const listed = new Map<string, ListedPointer>();
  const walk = (schema: unknown, segments: string[], deprecated: boolean, inArray: boolean, depth: number) => {
    if (!isObject(schema) || depth > 16 || listed.size >= MAX_LISTED) return;
    for (const keyword of COMBINATORS) {
      if (Array.isArray(schema[keyword])) {
        for (const branch of schema[keyword]) walk(branch, segments, deprecated, inArray, depth + 1);
      }
    }
    if (isObject(schema.properties)) {
      for (const [name, sub] of Object.entries(schema.properties)) {
        const path = [...segments, name];
        const dep = deprecated || (isObject(sub) && sub.deprecated === true);
        const key = JSON.stringify(path);
        if (!listed.has(key)) listed.set(key, { segments: path, deprecated: dep, inArray });
        walk(sub, path, dep, inArray, depth + 1);
      }
    }
    if (isObject(schema.items)) walk(schema.items, [...segments, '0'], deprecated, true, depth + 1);
  };
  walk(root, [], false, false, 0);
  return [...listed.values()];
}

/**
 * The pointer most likely meant by `wanted`: one ending in the same property name (not deprecated if
 * there is a choice, then the least different), else one within a typo's distance of the whole pointer.
 */
export function closestPointer(roots: readonly unknown[], wanted: readonly string[]): string[] | undefined {
  const seen = new Set<string>();
  const all = roots
    .flatMap(listPointers)
    .filter((listed) => !seen.has(JSON.stringify(listed.segments)) && seen.add(JSON.stringify(listed.segments)));
  if (all.length === 0 || wanted.length === 0) return undefined;
  const last = wanted[wanted.length - 1];
  const wantedText = wanted.join('/');
  const rank = (candidates: ListedPointer[]) =>
    candidates
      .map((listed, order) => ({ listed, order, distance: editDistance(wantedText, listed.segments.join('/')) }))
      .sort(
        (a, b) =>
          Number(a.listed.deprecated) - Number(b.listed.deprecated) || a.distance - b.distance || a.order - b.order,
      )[0]?.listed.segments;
  const sameName = all.filter((listed) => listed.segments[listed.segments.length - 1] === last);
  if (sameName.length > 0) return rank(sameName);
  const sameNameAnyCase = all.filter(
    (listed) => listed.segments[listed.segments.length - 1].toLowerCase() === last.toLowerCase(),
  );
  if (sameNameAnyCase.length > 0) return rank(sameNameAnyCase);
  // A typo somewhere along the pointer (did-you-mean's rule, on the whole pointer).
  const typo = closestName(
    toPointer(wanted),
    all.map((listed) => toPointer(listed.segments)),
  );
  return typo === undefined ? undefined : all.find((listed) => toPointer(listed.segments) === typo)?.segments;
}
