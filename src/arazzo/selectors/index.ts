// Arazzo 1.1 Selector Objects and Expression Type Objects (see each file). Workflow code imports
// select-json.ts only (no XML stack in the workflow bundle).
export { MAX_SELECTED_XML_LENGTH, replaceAt, selectFrom } from './evaluate-selector.js';
export { MAX_SELECTOR_LENGTH, SelectorError, selectFromJson } from './select-json.js';
export {
  defaultTargetType,
  EXPRESSION_TYPE_VERSIONS,
  type ExpressionType,
  expressionTypeOf,
  isSelectorObject,
  type SelectorKind,
  type SelectorObject,
} from './selector-object.js';
