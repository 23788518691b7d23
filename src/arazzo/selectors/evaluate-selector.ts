// Evaluating a Selector Object's `selector` against its context value, and writing a replacement
// at a `target`, for the three expression types of Arazzo 1.1:
//  - jsonpointer (RFC 6901): our pointer reader/writer;
//  - jsonpath: RFC 9535 by the criteria's evaluator (work budget included); Goessner's draft by
//    jsonpath-plus (`eval: 'safe'`), as for criteria. Replacement targets go through jsonpath-plus for
//    both versions (it returns the matched locations as JSON Pointers, which our evaluator does not);
//  - xpath: `xpath-10` with the XPath 1.0 library the criteria use, `xpath-20`/`-30`/`-31` with
//    fontoxpath (an XPath 3.1 engine; 2.0 and 3.0 expressions are evaluated as 3.1, which keeps their
//    meaning but for corner cases of type promotion). The context must be an XML document (text).
// A selection of one item is that item; of several, an array of them; of none, undefined (the value
// is then "missing", like an expression that resolves to nothing). XML nodes select as their text.
// fontoxpath has no hook for a work budget: its inputs are bounded instead (document and expression
// sizes below). Pure: no I/O, clock or randomness.
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import fontoxpathModule from 'fontoxpath';
import { JSONPath } from 'jsonpath-plus';
import * as xpath10 from 'xpath';
import { parseJsonPointer, setByPointer } from '../expressions/json-pointer.js';
import type { ExpressionType } from './selector-object.js';
import { MAX_SELECTOR_LENGTH, oneOrMany, SelectorError, selectFromJson } from './select-json.js';

// fontoxpath is CommonJS; under NodeNext its functions are on the default export.
const fontoxpath = ((fontoxpathModule as unknown as { default?: typeof fontoxpathModule }).default ??
  fontoxpathModule) as typeof fontoxpathModule;

export const MAX_SELECTED_XML_LENGTH = 5_000_000;

/** Applies `selector` (of `type`) to `value`; undefined when it selects nothing. */
export function selectFrom(value: unknown, selector: string, type: ExpressionType): unknown {
  if (selector.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(`the selector is ${selector.length} characters long; the limit is ${MAX_SELECTOR_LENGTH}`);
  }
  if (value === undefined) return undefined;
  if (type.type !== 'xpath') return selectFromJson(value, selector, type);
  return oneOrMany(selectXml(xmlDocument(value), selector, type.version).map(itemValue));
}

/**
 * Writes `replacement` at `target` in a payload: a JSON value (jsonpointer, jsonpath: every match)
 * or XML text (xpath: the text of every element, or the value of every attribute, selected).
 * Returns the new payload; a target that selects nothing is an error (the value would be lost).
 */
export function replaceAt(payload: unknown, target: string, type: ExpressionType, replacement: unknown): unknown {
  switch (type.type) {
    case 'jsonpointer': {
      const pointer = parseJsonPointer(target);
      if (!pointer.ok) throw new SelectorError(`target "${target}" is not a JSON Pointer: ${pointer.error.message}`);
      return setByPointer(payload, pointer.tokens, replacement);
    }
    case 'jsonpath': {
      if (payload === null || typeof payload !== 'object') {
        throw new SelectorError(`target "${target}": a JSONPath target needs a JSON payload`);
      }
      const pointers = JSONPath({ path: target, json: payload as object, eval: 'safe', resultType: 'pointer' });
      if (!Array.isArray(pointers) || pointers.length === 0) {
        throw new SelectorError(`target "${target}" selects nothing in the payload`);
      }
      let result = payload;
      for (const pointer of pointers as string[]) {
        const parsed = parseJsonPointer(pointer);
        if (parsed.ok) result = setByPointer(result, parsed.tokens, replacement) as object;
      }
      return result;
    }
    case 'xpath': {
      if (typeof payload !== 'string')
        throw new SelectorError(`target "${target}": an XPath target needs an XML payload`);
      const document = xmlDocument(payload);
      const nodes = selectXml(document, target, type.version).filter(isNode);
      if (nodes.length === 0) throw new SelectorError(`target "${target}" selects nothing in the payload`);
      const text = typeof replacement === 'string' ? replacement : JSON.stringify(replacement);
      for (const node of nodes) {
        if (node.nodeType === 2) (node as unknown as { value: string }).value = text;
        else node.textContent = text;
      }
      return new XMLSerializer().serializeToString(document as never);
    }
  }
}

interface XmlNode {
  nodeType: number;
  textContent: string | null;
}

function isNode(item: unknown): item is XmlNode {
  return item !== null && typeof item === 'object' && typeof (item as XmlNode).nodeType === 'number';
}

/** A node selects as its text (an attribute as its value); an atomic value as itself. */
function itemValue(item: unknown): unknown {
  if (!isNode(item)) return item;
  if (item.nodeType === 2) return (item as unknown as { value: string }).value;
  return item.textContent ?? '';
}

function xmlDocument(value: unknown): object {
  if (typeof value !== 'string') {
    throw new SelectorError('an XPath selector needs an XML document; its context is not text');
  }
  if (value.length > MAX_SELECTED_XML_LENGTH) {
    throw new SelectorError(
      `the XML document is ${value.length} characters long; the limit is ${MAX_SELECTED_XML_LENGTH}`,
    );
  }
  const problems: string[] = [];
  const document = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') problems.push(message);
    },
  }).parseFromString(value, 'text/xml');
  if (problems.length > 0 || !document?.documentElement) {
    throw new SelectorError(`the context is not well-formed XML: ${problems[0] ?? 'no document element'}`);
  }
  return document;
}

function selectXml(document: object, selector: string, version: string): unknown[] {
  try {
    if (version === 'xpath-10') {
      const result = xpath10.select(selector, document as never);
      return Array.isArray(result) ? result : [result];
    }
    return fontoxpath.evaluateXPath(selector, document, null, null, fontoxpath.evaluateXPath.ALL_RESULTS_TYPE, {
      language: fontoxpath.evaluateXPath.XPATH_3_1_LANGUAGE,
    }) as unknown[];
  } catch (error) {
    throw new SelectorError(
      `XPath "${selector}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
}
