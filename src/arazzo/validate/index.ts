// Schema and semantic validation of Arazzo documents, and validation of a run's inputs.
// See validate-document-set.ts for the order in which checks run and what is skipped.
export { editDistance } from '../text/edit-distance.js';
export { closestName, didYouMean } from './did-you-mean.js';
export { describePointer, type SchemaChoice, schemaFor, validateAgainstArazzoSchema } from './schema-validation.js';
export {
  hasErrors,
  runSemanticRules,
  SEMANTIC_RULES,
  type SemanticRule,
  type ValidateOptions,
  validateDocumentSet,
} from './validate-document-set.js';
export { type InputError, type InputValidation, validateInputs } from './validate-inputs.js';
export type { RuleContext } from './rule-context.js';
